// Main-thread side of the classifier: a promise API over the worker. The worker (and tfjs) is
// created on first use, so the initial page load never downloads TensorFlow.js.
import type {
  ClassifyContext,
  ClassifyOutput,
  LoadProgress,
  ModelInfo,
  StageResult,
  WorkerRequest,
  WorkerResponse,
} from './protocol';

type Pending = {
  resolve: (msg: WorkerResponse) => void;
  reject: (err: ClassifierError) => void;
  onProgress?: (p: LoadProgress) => void;
};

export class ClassifierError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// Distributive Omit so each member of the request union keeps its own fields.
type RequestBody = WorkerRequest extends infer R
  ? R extends WorkerRequest
    ? Omit<R, 'id'>
    : never
  : never;

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./worker.ts', import.meta.url), {
    type: 'module',
    name: 'classifier',
  });
  worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
    const msg = event.data;
    const p = pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') {
      p.onProgress?.(msg.progress);
      return;
    }
    pending.delete(msg.id);
    if (msg.type === 'error') p.reject(new ClassifierError(msg.code, msg.message));
    else p.resolve(msg);
  };
  worker.onerror = (e) => {
    for (const p of pending.values()) p.reject(new ClassifierError('WORKER_ERROR', e.message));
    pending.clear();
  };
  return worker;
}

function request(
  body: RequestBody,
  onProgress?: (p: LoadProgress) => void,
): Promise<WorkerResponse> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onProgress });
    getWorker().postMessage({ ...body, id } as WorkerRequest);
  });
}

export async function loadModel(
  onProgress?: (p: LoadProgress) => void,
  backend?: string,
): Promise<ModelInfo> {
  const msg = await request({ type: 'load', backend }, onProgress);
  if (msg.type !== 'loaded') throw new ClassifierError('PROTOCOL', msg.type);
  return msg.info;
}

/** Downloads a newer published version in the background, if any (the current one keeps serving). */
export async function stageModelUpdate(
  onProgress?: (p: LoadProgress) => void,
): Promise<StageResult> {
  const msg = await request({ type: 'stage-update' }, onProgress);
  if (msg.type !== 'staged') throw new ClassifierError('PROTOCOL', msg.type);
  return msg.result;
}

/** Switches to the staged version after any running classification; returns the model in use. */
export async function activateModelUpdate(): Promise<ModelInfo> {
  const msg = await request({ type: 'activate-update' });
  if (msg.type !== 'activated') throw new ClassifierError('PROTOCOL', msg.type);
  return msg.info;
}

export async function classifyPhotos(
  photos: Blob[],
  context: ClassifyContext,
): Promise<ClassifyOutput> {
  const msg = await request({ type: 'classify', photos, context });
  if (msg.type !== 'classified') throw new ClassifierError('PROTOCOL', msg.type);
  return msg.output;
}

/** Exposed for the preprocessing parity test (browser vs Node). */
export async function preprocessInWorker(photo: Blob): Promise<Float32Array> {
  const msg = await request({ type: 'preprocess', photo });
  if (msg.type !== 'preprocessed') throw new ClassifierError('PROTOCOL', msg.type);
  return msg.data;
}
