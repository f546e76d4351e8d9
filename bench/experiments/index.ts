import type { PatchName } from './prototype-patches.js';

/** One `--experiments` run: papermail's run with prototype patches. */
export interface Experiment {
  patches: readonly PatchName[];
}

export const EXPERIMENTS = {
  'ledger-batch': { patches: ['ledger-batch'] },
  'paper-identity': { patches: ['paper-identity'] },
  'sent-group-concat': { patches: ['sent-group-concat'] },
  /** Everything together: an estimate of what the proposals add up to. */
  all: { patches: ['ledger-batch', 'paper-identity', 'sent-group-concat'] },
} as const satisfies Record<string, Experiment>;

export type ExperimentName = keyof typeof EXPERIMENTS;

export function isExperimentName(name: string): name is ExperimentName {
  return Object.hasOwn(EXPERIMENTS, name);
}
