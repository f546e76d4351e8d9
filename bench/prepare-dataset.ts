/** Child step: writes one benchmark day into a fresh database file (see `dataset/build-dataset.ts`). */
import { buildDataset, type DatasetInfo, type DatasetOptions } from './dataset/build-dataset.js';
import { childInput, childMain } from './support/child.js';

export interface PrepareInput extends Omit<DatasetOptions, 'now'> {
  path: string;
  now: string;
}

childMain<DatasetInfo>(async () => {
  const input = childInput<PrepareInput>();
  return buildDataset(input.path, { ...input, now: new Date(input.now) });
});
