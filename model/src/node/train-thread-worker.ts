// worker_threads entry of trainAndExportInThread(): trains, exports, posts back what the job reads.
import { parentPort, workerData } from 'node:worker_threads';
import { trainAndExport } from '../train/train-and-export';
import { initTf } from './tf-backend';
import type { ThreadInput, ThreadTrained } from './train-thread';

const port = parentPort;
if (!port) throw new Error('train-thread-worker must run in a worker thread');

try {
  await initTf();
  const trained = await trainAndExport({
    ...(workerData as ThreadInput),
    log: (m) => port.postMessage({ log: m }),
    warn: (m) => port.postMessage({ warn: m }),
  });
  const { items, labels, metrics, backbone } = trained.result;
  const done: ThreadTrained = {
    dir: trained.dir,
    version: trained.version,
    result: { items, labels, metrics, backbone: { hash: backbone.hash } },
  };
  port.postMessage({ done });
} catch (err) {
  port.postMessage({ failed: err instanceof Error ? err.message : String(err) });
}
