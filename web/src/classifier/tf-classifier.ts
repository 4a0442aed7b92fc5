// The ONE module that touches TensorFlow.js: load(), classifyPhotos(), dispose(), and the model
// update (stageUpdate() downloads a newer version in the background, activateUpdate() switches
// between two diagnoses). Runs inside the worker only, so tfjs (≈1 MB of JS + WASM) never enters
// the main bundle.
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import {
  IMAGENET_CLASSES,
  checkCropCoverage,
  combine,
  needsCloseUps,
  pickView,
  postprocess,
  type Calibration,
  type ClassifierResult,
} from '@phytodiag/model/classifier-core';
import type { ModelManifest } from '@phytodiag/api/contract';
import { readAndDispose } from '@phytodiag/model/read-tensor';
import {
  absoluteUrl,
  fetchManifestJson,
  lastCompleteManifest,
  makeCachedFetch,
  pruneModelCache,
  rememberCompleteManifest,
  reuseCachedFiles,
  withSlash,
  type CachedFetchStats,
} from './model-fetch';
import type { ClassifyContext, LoadProgress, ModelInfo, StageResult } from './protocol';
import { canUseWasmThreads } from './thread-probe';
import type { PhotoViews } from './decode-image';

const EMBEDDING_LAYER = 'global_average_pooling2d_1';
const INPUT = 224;

type Model = tf.LayersModel | tf.GraphModel;

interface Loaded {
  backbone: Model;
  head: Model;
  /** The ImageNet check (embedding → 1000 ImageNet logits); null for versions without it. */
  imagenet: Model | null;
  labels: string[];
  calibration: Calibration;
  info: ModelInfo;
  embeddingSize: number;
  manifest: ModelManifest;
}

/** The model diagnoses run on. Replaced only by activateUpdate(), never mid-classification. */
let loaded: Loaded | null = null;
let loading: Promise<ModelInfo> | null = null;
/** A newer published version, downloaded and checked, waiting for activateUpdate(). */
let staged: { model: Loaded; result: StageResult & { status: 'staged' } } | null = null;
let staging: Promise<StageResult> | null = null;
let backendReady: Promise<string> | null = null;
/** Classifications holding `loaded`; a switch waits until none is running. */
let inflight = 0;
const idleWaiters: (() => void)[] = [];

async function initBackend(preferred?: string): Promise<string> {
  // Served from our own origin (Vite asset URLs, precached by the service worker), never a CDN.
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlainUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
  });
  // Threads need SharedArrayBuffer (COOP/COEP from the API) and blob: pthread scripts (CSP).
  const threads = await canUseWasmThreads();
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads);
  if (threads) setThreadsCount(Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2)));
  const order = preferred ? [preferred, 'wasm', 'cpu'] : ['wasm', 'cpu'];
  for (const name of order) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        const name = tf.getBackend();
        if (name !== 'wasm') return name;
        const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
        return `wasm${simd ? '+simd' : ''}${threads ? '+threads' : ''}`;
      }
    } catch {
      // Try the next backend (e.g. WebGL unavailable in this worker).
    }
  }
  throw new Error('no TensorFlow.js backend available');
}

async function loadModel(url: string, fetchFunc: typeof fetch): Promise<Model> {
  const json = (await (await fetchFunc(url)).json()) as { format?: string };
  return json.format === 'graph-model'
    ? tf.loadGraphModel(url, { fetchFunc })
    : tf.loadLayersModel(url, { fetchFunc });
}

/** Feature extractor: cut at the pooling layer if the export kept the ImageNet top. */
function asExtractor(model: Model): Model {
  if (model instanceof tf.GraphModel) return model;
  const out = model.outputs[0];
  if (out.shape.length === 2) return model;
  const names = new Set(model.layers.map((l) => l.name));
  if (!names.has(EMBEDDING_LAYER)) return model;
  return tf.model({
    inputs: model.inputs,
    outputs: model.getLayer(EMBEDDING_LAYER).output as tf.SymbolicTensor,
  });
}

function runModel(model: Model, x: tf.Tensor): tf.Tensor {
  const y = model.predict(x) as tf.Tensor | tf.Tensor[];
  return Array.isArray(y) ? y[0] : y;
}

export async function load(
  onProgress: (p: LoadProgress) => void,
  backend?: string,
): Promise<ModelInfo> {
  if (loaded) return loaded.info;
  loading ??= doLoad(onProgress, backend).finally(() => {
    loading = null;
  });
  return loading;
}

async function doLoad(
  onProgress: (p: LoadProgress) => void,
  preferredBackend?: string,
): Promise<ModelInfo> {
  const started = performance.now();
  backendReady ??= initBackend(preferredBackend);
  await backendReady;
  const manifest = await fetchManifestJson<ModelManifest>();
  const complete = await lastCompleteManifest<ModelManifest>();
  let built: Loaded;
  try {
    // A retrained version usually keeps the backbone: copy what the device already holds.
    if (complete && complete.version !== manifest.version) {
      await reuseCachedFiles(complete, manifest).catch(() => 0);
    }
    built = (await build(manifest, onProgress, started)).model;
  } catch (err) {
    // The served version could not be downloaded in full (a cut in the field, offline since):
    // diagnose with the last one that did, rather than not at all. The next update check, once
    // online, stages the new one again.
    if (!complete || complete.version === manifest.version) throw err;
    built = (await build(complete, onProgress, started)).model;
  }
  loaded = built;
  await rememberCompleteManifest(built.manifest).catch(() => undefined);
  return built.info;
}

/** Downloads (cache-first) and checks one version; `loaded` is left untouched. */
async function build(
  manifest: ModelManifest,
  onProgress: (p: LoadProgress) => void,
  started: number,
): Promise<{ model: Loaded; networkBytes: number }> {
  backendReady ??= initBackend();
  const backendName = await backendReady;
  const totalBytes = manifest.files.reduce((s, f) => s + f.bytes, 0);
  let loadedBytes = 0;
  const stats: CachedFetchStats = { fromCache: true, networkBytes: 0 };
  const seen = new Set<string>();
  const base = withSlash(manifest.baseUrl);
  const expected = new Map(manifest.files.map((f) => [absoluteUrl(`${base}${f.path}`), f]));
  const cachedFetch = makeCachedFetch(
    (n) => {
      loadedBytes = Math.min(totalBytes, loadedBytes + n);
      onProgress({ loadedBytes, totalBytes });
    },
    stats,
    expected,
  );
  // Count each file once in the progress even when tfjs re-requests model.json.
  const fetchOnce: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (seen.has(url)) {
      const res = await caches.match(url);
      if (res) return res;
    }
    seen.add(url);
    return cachedFetch(input, init);
  };
  const [labels, calibration] = await Promise.all([
    fetchOnce(`${base}labels.json`).then((r) => r.json() as Promise<string[]>),
    fetchOnce(`${base}calibration.json`).then((r) => r.json() as Promise<Calibration>),
  ]);
  const backbone = asExtractor(await loadModel(`${base}backbone/model.json`, fetchOnce));
  const head = await loadModel(`${base}head/model.json`, fetchOnce);
  const imagenet = calibration.abstention.imagenet
    ? await loadModel(`${base}imagenet/model.json`, fetchOnce)
    : null;

  // Check shapes once with a blank image: a wrong export fails here, not on the user's photo.
  const [embeddingSize, outputs, imagenetOutputs] = tf.tidy(() => {
    const e = runModel(backbone, tf.zeros([1, INPUT, INPUT, 3]));
    const l = runModel(head, e);
    const i = imagenet ? (runModel(imagenet, e).shape[1] ?? -1) : IMAGENET_CLASSES;
    return [e.shape[1] ?? -1, l.shape[1] ?? -1, i] as const;
  });
  const fail = (message: string): never => {
    backbone.dispose();
    head.dispose();
    imagenet?.dispose();
    throw new Error(message);
  };
  if (outputs !== labels.length) {
    fail(`head outputs ${outputs} scores but labels.json has ${labels.length}`);
  }
  if (imagenetOutputs !== IMAGENET_CLASSES) {
    fail(`imagenet outputs ${imagenetOutputs} scores, not ${IMAGENET_CLASSES}`);
  }
  if (calibration.labels.join() !== labels.join()) {
    fail('calibration.json labels differ from labels.json');
  }
  onProgress({ loadedBytes: totalBytes, totalBytes });
  const info: ModelInfo = {
    version: manifest.version,
    backend: backendName,
    labels,
    fromCache: stats.fromCache,
    loadMs: Math.round(performance.now() - started),
  };
  return {
    model: { backbone, head, imagenet, labels, calibration, info, embeddingSize, manifest },
    networkBytes: stats.networkBytes,
  };
}

function disposeModel(m: Loaded): void {
  m.backbone.dispose();
  m.head.dispose();
  m.imagenet?.dispose();
}

/**
 * Background half of a model update: if the server now publishes another version, download it
 * (reusing cached files with the same sha256) and load it beside the current one. Diagnoses keep
 * running on the current model meanwhile; activateUpdate() switches.
 */
export async function stageUpdate(onProgress: (p: LoadProgress) => void): Promise<StageResult> {
  if (!loaded) {
    const info = await load(onProgress);
    return { status: 'current', version: info.version };
  }
  staging ??= (async (): Promise<StageResult> => {
    const manifest = await fetchManifestJson<ModelManifest>();
    const current = loaded as Loaded;
    if (manifest.version === current.info.version) {
      if (staged) disposeModel(staged.model);
      staged = null;
      return { status: 'current', version: manifest.version };
    }
    if (staged?.model.info.version === manifest.version) return staged.result;
    if (staged) disposeModel(staged.model);
    staged = null;
    const reusedBytes = await reuseCachedFiles(current.manifest, manifest);
    const built = await build(manifest, onProgress, performance.now());
    const result = {
      status: 'staged' as const,
      version: manifest.version,
      downloadedBytes: built.networkBytes,
      reusedBytes,
    };
    staged = { model: built.model, result };
    return result;
  })().finally(() => {
    staging = null;
  });
  return staging;
}

/**
 * Switches to the staged version once no classification is running (a diagnosis started on the
 * old model finishes on it and names it), then frees the old one. Its files stay cached: a
 * rollback to it needs no download.
 */
export async function activateUpdate(): Promise<ModelInfo> {
  while (inflight > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
  const current = loaded;
  if (!staged || !current) {
    if (!current) throw new Error('model not loaded');
    return current.info;
  }
  loaded = staged.model;
  staged = null;
  disposeModel(current);
  await rememberCompleteManifest(loaded.manifest).catch(() => undefined);
  void pruneModelCache([loaded.info.version, current.info.version]).catch(() => undefined);
  return loaded.info;
}

export interface Classification {
  result: ClassifierResult;
  perPhoto: ClassifierResult[];
  minConfidence: number;
}

/**
 * Classifies the photos of ONE case on the model loaded when it starts: `decode` (photos → their
 * views: the whole photo and its close-ups at the version's shares) runs while that model is held,
 * so a switch cannot happen in between.
 */
export async function classifyPhotos(
  decode: (closeUpShares: readonly number[]) => Promise<PhotoViews[]>,
  context: ClassifyContext,
): Promise<Classification & { backend: string }> {
  await load(() => undefined);
  const model = loaded as Loaded;
  inflight++;
  try {
    const views = await decode(model.calibration.abstention.closeUp?.shares ?? []);
    return { ...classify(model, views, context), backend: model.info.backend };
  } finally {
    inflight--;
    if (inflight === 0) for (const wake of idleWaiters.splice(0)) wake();
  }
}

/** One batch through backbone, head and ImageNet check; one result per input. */
function runViews(
  model: Loaded,
  inputs: Float32Array[],
  context: ClassifyContext,
): ClassifierResult[] {
  const { backbone, head, imagenet, labels, calibration, embeddingSize } = model;
  const flat = new Float32Array(inputs.length * INPUT * INPUT * 3);
  inputs.forEach((x, i) => flat.set(x, i * x.length));
  // Tensors, not their data, leave tidy(): it would walk a returned typed array index by index.
  const [logits, embeddings, imagenetLogits = null] = readAndDispose(
    ...tf.tidy(() => {
      const x = tf.tensor4d(flat, [inputs.length, INPUT, INPUT, 3]);
      const e = runModel(backbone, x);
      const l = runModel(head, e);
      if (l.shape[0] !== inputs.length || l.shape[1] !== labels.length) {
        throw new Error(`unexpected output shape ${JSON.stringify(l.shape)}`);
      }
      if (!imagenet) return [l, e];
      const i = runModel(imagenet, e);
      if (i.shape[0] !== inputs.length || i.shape[1] !== IMAGENET_CLASSES) {
        throw new Error(`unexpected imagenet output shape ${JSON.stringify(i.shape)}`);
      }
      return [l, e, i];
    }),
  );
  const ctx = {
    crop: context.crop,
    region: context.regionCode,
    month: context.month,
    factors: context.factors,
  };
  return inputs.map((_, i) =>
    postprocess(
      logits.subarray(i * labels.length, (i + 1) * labels.length),
      embeddings.subarray(i * embeddingSize, (i + 1) * embeddingSize),
      calibration,
      context.priorsEnabled ? ctx : null,
      { usePriors: context.priorsEnabled },
      imagenetLogits?.subarray(i * IMAGENET_CLASSES, (i + 1) * IMAGENET_CLASSES),
    ),
  );
}

function classify(model: Loaded, views: PhotoViews[], context: ClassifyContext): Classification {
  if (views.length === 0) throw new Error('no photo');
  const closeUp = model.calibration.abstention.closeUp;
  const wholes = runViews(
    model,
    views.map((v) => v.whole),
    context,
  );
  // The close-ups of every photo that needs them go through in ONE more batch; most need none.
  const pending = views.flatMap((v, i) =>
    needsCloseUps(wholes[i], closeUp) ? v.closeUps.map((c) => ({ photo: i, ...c })) : [],
  );
  const read =
    pending.length > 0
      ? runViews(
          model,
          pending.map((c) => c.input),
          context,
        )
      : [];
  const perPhoto = wholes.map((whole, i) =>
    pickView(
      whole,
      pending.flatMap((c, k) => (c.photo === i ? [{ share: c.share, result: read[k] }] : [])),
      closeUp,
    ),
  );
  const minConfidence = model.calibration.abstention.minConfidence;
  const combined = perPhoto.length === 1 ? perPhoto[0] : combine(perPhoto, minConfidence);
  // On the case as a whole: a crop the bank does not cover gets no crop-specific name.
  const result = context.priorsEnabled
    ? checkCropCoverage(combined, model.calibration, { crop: context.crop })
    : combined;
  return { result, perPhoto, minConfidence };
}

export function dispose(): void {
  if (staged) disposeModel(staged.model);
  staged = null;
  if (!loaded) return;
  disposeModel(loaded);
  loaded = null;
}
