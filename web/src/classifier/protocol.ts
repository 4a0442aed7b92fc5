// Messages between the UI and the classifier worker (structured-clone friendly: no class instances).
import type { ClassifierResult } from '@phytodiag/model/classifier-core';

export interface ClassifyContext {
  crop: string | null;
  regionCode: string | null;
  month: number;
  priorsEnabled: boolean;
  /** Region and season factors by slug (context-priors.ts); null without data or context. */
  factors: Record<string, number> | null;
}

export interface LoadProgress {
  loadedBytes: number;
  totalBytes: number;
}

export interface ModelInfo {
  version: string;
  backend: string;
  labels: string[];
  /** Where the model came from: the Cache Storage (offline-ready) or the network. */
  fromCache: boolean;
  loadMs: number;
}

export interface ClassifyOutput {
  result: ClassifierResult;
  /** Per-photo results before combining (the advisor view can show disagreement). */
  perPhoto: ClassifierResult[];
  elapsedMs: number;
  backend: string;
  minConfidence: number;
}

/** Outcome of a background check for a newer published model (see tf-classifier.ts). */
export type StageResult =
  | { status: 'current'; version: string }
  | {
      status: 'staged';
      version: string;
      /** Bytes fetched over the network (files whose sha256 the device held were reused). */
      downloadedBytes: number;
      reusedBytes: number;
    };

export type WorkerRequest =
  | { id: number; type: 'load'; backend?: string }
  | { id: number; type: 'stage-update' }
  | { id: number; type: 'activate-update' }
  | { id: number; type: 'classify'; photos: Blob[]; context: ClassifyContext }
  | { id: number; type: 'preprocess'; photo: Blob }
  | { id: number; type: 'dispose' };

export type WorkerResponse =
  | { id: number; type: 'progress'; progress: LoadProgress }
  | { id: number; type: 'loaded'; info: ModelInfo }
  | { id: number; type: 'staged'; result: StageResult }
  | { id: number; type: 'activated'; info: ModelInfo }
  | { id: number; type: 'classified'; output: ClassifyOutput }
  | { id: number; type: 'preprocessed'; data: Float32Array }
  | { id: number; type: 'disposed' }
  | { id: number; type: 'error'; message: string; code: string };
