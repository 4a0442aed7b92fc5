// Train → export in a worker thread: fitting the head, calibrating and exporting are long
// synchronous computations (25–40 s on the bank), and the API's retraining job must not stop
// answering producers and the lab meanwhile. Same work as trainAndExport(), same outputs.
import { tsWorker } from './ts-worker';
import type { TrainAndExportInput } from '../train/train-and-export';
import type { TrainResult } from '../train/train-model';

/** What the retraining job reads of a training (the rest stays in the thread). */
export interface ThreadTrained {
  dir: string;
  version: string;
  result: Pick<TrainResult, 'items' | 'labels' | 'metrics'> & {
    backbone: Pick<TrainResult['backbone'], 'hash'>;
  };
}

export type ThreadInput = Omit<TrainAndExportInput, 'log' | 'warn'>;

type FromThread = { log: string } | { warn: string } | { done: ThreadTrained } | { failed: string };

export function trainAndExportInThread(
  input: ThreadInput,
  log: (m: string) => void,
  warn: (m: string) => void,
): Promise<ThreadTrained> {
  const worker = tsWorker(new URL('./train-thread-worker.ts', import.meta.url), input);
  return new Promise<ThreadTrained>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (msg: FromThread) => {
      if ('log' in msg) log(msg.log);
      else if ('warn' in msg) warn(msg.warn);
      else if ('done' in msg) settle(() => resolve(msg.done));
      else settle(() => reject(new Error(msg.failed)));
    });
    worker.once('error', (err) => settle(() => reject(err)));
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`training thread exited (code ${code}) before finishing`))),
    );
  });
}
