// worker_threads entry: its own TF.js WASM instance and backbone copy (WASM has no threads in
// Node, so one worker per core is how embedding uses both cores).
import { parentPort, workerData } from 'node:worker_threads';
import { initTf } from './tf-backend';
import { loadBackbone } from './backbone';
import type { ExtractorKind } from './backbone';
import { runEmbedJob } from './embed-job';
import type { EmbedJob } from './embed-job';

const port = parentPort;
if (!port) throw new Error('embed-worker must run in a worker thread');
const { backboneDir, kind } = workerData as { backboneDir: string; kind: ExtractorKind };

await initTf();
const model = await loadBackbone(backboneDir, kind);
port.on('message', (msg: { id: number; job: EmbedJob }) => {
  void runEmbedJob(model, msg.job).then((outcome) => {
    const transfer = outcome.ok ? outcome.embeddings.map((e) => e.buffer as ArrayBuffer) : [];
    port.postMessage({ id: msg.id, outcome }, transfer);
  });
});
port.postMessage({ ready: true });
