/// <reference lib="webworker" />
import { ESCALATION_PHOTO_MAX } from '../lab/limits';
import { decodeToInput } from './decode-image';
import { ModelUnavailableError } from './model-fetch';
import type { WorkerRequest, WorkerResponse } from './protocol';
import { backendName, classify, dispose, load } from './tf-classifier';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: WorkerResponse) => scope.postMessage(msg);

scope.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const req = event.data;
  try {
    switch (req.type) {
      case 'load': {
        const info = await load(
          (progress) => post({ id: req.id, type: 'progress', progress }),
          req.backend,
        );
        post({ id: req.id, type: 'loaded', info });
        break;
      }
      case 'classify': {
        const started = performance.now();
        await load(() => undefined);
        const inputs = await Promise.all(
          req.photos.slice(0, ESCALATION_PHOTO_MAX).map(decodeToInput),
        );
        const out = classify(inputs, req.context);
        post({
          id: req.id,
          type: 'classified',
          output: {
            ...out,
            elapsedMs: Math.round(performance.now() - started),
            backend: backendName(),
          },
        });
        break;
      }
      case 'preprocess': {
        const data = await decodeToInput(req.photo);
        scope.postMessage({ id: req.id, type: 'preprocessed', data } satisfies WorkerResponse, [
          data.buffer,
        ]);
        break;
      }
      case 'dispose':
        dispose();
        post({ id: req.id, type: 'disposed' });
        break;
    }
  } catch (err) {
    post({
      id: req.id,
      type: 'error',
      message: err instanceof Error ? err.message : String(err),
      code: err instanceof ModelUnavailableError ? err.code : 'CLASSIFIER_ERROR',
    });
  }
};
