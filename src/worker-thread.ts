import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Starts `module` (a URL next to the caller, `.js` in `dist/`) in a worker thread. From the TypeScript
 * sources (tests, benchmarks, `tsx`) the caller's URL ends in `.ts`: the worker then loads the `.ts`
 * file through tsx, a dev dependency. The compiled worker gets no `execArgv` of its own: the parent's
 * flags (loaders, profilers) are not the worker's business.
 */
export function startWorkerThread(module: URL, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const options = { workerData, ...(resourceLimits ? { resourceLimits } : {}) };
  if (module.pathname.endsWith('.ts')) {
    const file = JSON.stringify(module.href);
    return new Worker(`import('tsx/esm/api').then(({ tsImport }) => tsImport(${file}, ${file}))`, { eval: true, ...options });
  }
  return new Worker(module, { ...options, execArgv: [] });
}

/** `./name.js` next to `caller` (its `import.meta.url`), or `./name.ts` when the caller runs from sources. */
export function siblingModule(caller: string, name: string): URL {
  return new URL(`./${name}${caller.endsWith('.ts') ? '.ts' : '.js'}`, caller);
}
