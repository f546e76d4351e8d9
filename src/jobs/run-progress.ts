/**
 * Where a digest run stands, reported by `sendDigests` as it goes (at most a few times a second):
 * enough for a progress line with a rate and an ETA. `total` is what the phase will get through.
 */
export type RunProgress =
  | {
      phase: 'plan';
      /** Due subscribers ranked so far. */
      done: number;
      /** Due (active, not yet planned today) subscribers when the phase started. */
      total: number;
    }
  | {
      phase: 'send';
      /** Rows settled this pass: sent, failed, uncertain or skipped. */
      done: number;
      /** Rows sendable when the pass started. */
      total: number;
      sent: number;
      failed: number;
    };

export type OnRunProgress = (progress: RunProgress) => void;
