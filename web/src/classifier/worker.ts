/// <reference lib="webworker" />
import { ESCALATION_PHOTO_MAX } from '../lab/limits';
import { decodeToInput, decodeToViews, UnreadablePhotoError } from './decode-image';
import { ModelIntegrityError, ModelUnavailableError } from './model-fetch';
import type { WorkerRequest, WorkerResponse } from './protocol';
import { activateUpdate, classifyPhotos, dispose, load, stageUpdate } from './tf-classifier';

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
        const out = await classifyPhotos(
          (shares) =>
            Promise.all(
              req.photos
                .slice(0, ESCALATION_PHOTO_MAX)
                .map((photo) => decodeToViews(photo, shares)),
            ),
          req.context,
        );
        post({
          id: req.id,
          type: 'classified',
          output: { ...out, elapsedMs: Math.round(performance.now() - started) },
        });
        break;
      }
      case 'stage-update': {
        const result = await stageUpdate((progress) =>
          post({ id: req.id, type: 'progress', progress }),
        );
        post({ id: req.id, type: 'staged', result });
        break;
      }
      case 'activate-update':
        post({ id: req.id, type: 'activated', info: await activateUpdate() });
        break;
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
      code:
        err instanceof ModelUnavailableError || err instanceof UnreadablePhotoError
          ? err.code
          : // A file cut short or altered, or the network gone mid-download: worth another try.
            err instanceof ModelIntegrityError || err instanceof TypeError
            ? 'MODEL_DOWNLOAD_FAILED'
            : 'CLASSIFIER_ERROR',
    });
  }
};
