export interface CoalescingRunner {
  /** Starts a run, or folds this trigger into the one follow-up run of the current one. */
  kick(force?: boolean): Promise<void>;
  readonly busy: boolean;
}

/**
 * Runs `task` one at a time without losing triggers: a kick during a run is folded into ONE
 * follow-up run (forced if any folded kick was). Returning the current run instead would drop the
 * "network is back" trigger that arrives while a run is still failing its last cases, leaving them
 * waiting out their backoff (minutes) on a working network.
 */
export function coalescingRunner(
  task: (force: boolean) => Promise<unknown>,
  opts: { canRun?: () => boolean; onBusy?: (busy: boolean) => void } = {},
): CoalescingRunner {
  const canRun = opts.canRun ?? (() => true);
  let running: Promise<void> | null = null;
  let followUp: boolean | null = null;
  return {
    get busy() {
      return running !== null;
    },
    kick(force = false) {
      if (!canRun()) return Promise.resolve();
      if (running) {
        followUp = (followUp ?? false) || force;
        return running;
      }
      running = (async () => {
        opts.onBusy?.(true);
        try {
          let next: boolean | null = force;
          while (next !== null) {
            followUp = null;
            await task(next);
            next = followUp !== null && canRun() ? followUp : null;
          }
        } finally {
          running = null;
          followUp = null;
          opts.onBusy?.(false);
        }
      })();
      return running;
    },
  };
}
