import type { PatchName } from './prototype-patches.js';
import type { PrototypeName } from './prototype-mailer.js';

/** One `--experiments` run: papermail's run with a prototype mailer and/or prototype patches. */
export interface Experiment {
  mailer?: PrototypeName;
  patches?: PatchName[];
}

export const EXPERIMENTS = {
  'raw-buffer': { mailer: 'raw-buffer' },
  'hand-built': { mailer: 'hand-built' },
  'hand-built-base64': { mailer: 'hand-built-base64' },
  'ledger-batch': { patches: ['ledger-batch'] },
  'paper-identity': { patches: ['paper-identity'] },
  'sent-group-concat': { patches: ['sent-group-concat'] },
  /** Everything together: an estimate of what the proposals add up to. */
  all: { mailer: 'hand-built-base64', patches: ['ledger-batch', 'paper-identity', 'sent-group-concat'] },
} as const satisfies Record<string, Experiment>;

export type ExperimentName = keyof typeof EXPERIMENTS;

export function isExperimentName(name: string): name is ExperimentName {
  return Object.hasOwn(EXPERIMENTS, name);
}
