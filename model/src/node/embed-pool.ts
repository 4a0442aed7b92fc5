// Embeds many images, with N worker threads when asked (N=0: in-process, used by tests).
import type { Worker } from 'node:worker_threads';
import { tsWorker } from './ts-worker';
import { initTf } from './tf-backend';
import { loadBackbone } from './backbone';
import type { ExtractorKind } from './backbone';
import { runEmbedJob } from './embed-job';
import type { EmbedJob, EmbedOutcome } from './embed-job';

export interface EmbedPool {
  run(job: EmbedJob): Promise<EmbedOutcome>;
  close(): Promise<void>;
}

export async function createEmbedPool(
  backboneDir: string,
  workers: number,
  kind: ExtractorKind = 'features',
): Promise<EmbedPool> {
  if (workers <= 0) {
    await initTf();
    const model = await loadBackbone(backboneDir, kind);
    return {
      run: (job) => runEmbedJob(model, job),
      close: async () => {
        model.dispose();
      },
    };
  }
  const url = new URL('./embed-worker.ts', import.meta.url);
  const threads = await Promise.all(
    Array.from({ length: workers }, () => {
      const w = tsWorker(url, { backboneDir, kind });
      return new Promise<Worker>((resolve, reject) => {
        w.once('error', reject);
        w.once('message', () => resolve(w));
      });
    }),
  );
  type Pending = { resolve: (o: EmbedOutcome) => void; reject: (e: Error) => void };
  const pending = new Map<number, Pending>();
  const queue: { id: number; job: EmbedJob }[] = [];
  const idle: Worker[] = [...threads];
  let nextId = 0;
  const pump = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const w = idle.pop() as Worker;
      w.postMessage(queue.shift());
    }
  };
  for (const w of threads) {
    w.on('message', (msg: { id: number; outcome: EmbedOutcome }) => {
      pending.get(msg.id)?.resolve(msg.outcome);
      pending.delete(msg.id);
      idle.push(w);
      pump();
    });
    w.on('error', (err) => {
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    });
  }
  return {
    run: (job) =>
      new Promise<EmbedOutcome>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        queue.push({ id, job });
        pump();
      }),
    close: async () => {
      await Promise.all(threads.map((w) => w.terminate()));
    },
  };
}
