// A worker thread running a TypeScript module. tsx's loader is per thread on Node 20 and
// `--import tsx` in execArgv is not honoured for the entry module, so a tiny bootstrap registers
// it before importing the module.
import { Worker } from 'node:worker_threads';

export function tsWorker(module: URL, workerData: unknown): Worker {
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then((api) => { api.register(); return import(${JSON.stringify(module.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}
