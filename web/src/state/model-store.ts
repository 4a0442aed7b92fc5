import { useEffect, useSyncExternalStore } from 'react';
import {
  activateModelUpdate,
  ClassifierError,
  loadModel,
  stageModelUpdate,
} from '../classifier/classifier-client';
import type { LoadProgress, ModelInfo } from '../classifier/protocol';

/** A newer published version on its way: downloading, or loaded and waiting for the switch. */
export type ModelUpdate =
  | { status: 'downloading'; progress: LoadProgress | null }
  | { status: 'staged'; version: string; downloadedBytes: number; reusedBytes: number };

export type ModelState =
  | { status: 'idle' }
  | { status: 'loading'; progress: LoadProgress | null }
  | {
      status: 'ready';
      info: ModelInfo;
      update: ModelUpdate | null;
      /** The version used before the last switch, and what that switch downloaded. */
      previous: { version: string; downloadedBytes: number; reusedBytes: number } | null;
    }
  | { status: 'unavailable' }
  /** `retryable`: the download failed (network, a damaged file); tried again when online. */
  | { status: 'error'; message: string; retryable: boolean };

/** Devices left open (a kiosk, a tablet in the truck) still learn about a retrained model. */
const CHECK_EVERY_MS = 30 * 60 * 1000;

let state: ModelState = { status: 'idle' };
const listeners = new Set<() => void>();
/** Diagnoses in progress on screen: the model does not change under them. */
let holds = 0;
let checking = false;
let watching = false;

function set(next: ModelState): void {
  state = next;
  for (const l of listeners) l();
}

/** Starts (once) loading the model in the worker; safe to call from anywhere. */
export function ensureModel(): void {
  if (state.status === 'loading' || state.status === 'ready') return;
  set({ status: 'loading', progress: null });
  const backend = new URLSearchParams(location.search).get('backend') ?? undefined;
  loadModel((progress) => set({ status: 'loading', progress }), backend).then(
    (info) => {
      set({ status: 'ready', info, update: null, previous: null });
      watchForUpdates();
    },
    (err: unknown) => {
      const code = err instanceof ClassifierError ? err.code : null;
      set(
        code === 'MODEL_NOT_AVAILABLE'
          ? { status: 'unavailable' }
          : {
              status: 'error',
              message: err instanceof Error ? err.message : String(err),
              retryable: code === 'MODEL_DOWNLOAD_FAILED',
            },
      );
      // A first download that failed is tried again like an update is looked for (when the
      // network returns, the app comes back to the foreground, now and then): checkModelUpdate
      // starts the load over. The field must not need a reload to get its model.
      watchForUpdates();
    },
  );
}

function setUpdate(update: ModelUpdate | null): void {
  if (state.status === 'ready') set({ ...state, update });
}

/**
 * Asks the server for the published version, the way the rest of the app syncs: when the device
 * comes back online, when the app comes back to the foreground, and now and then. A newer one is
 * downloaded in the worker while the current one keeps answering.
 */
export async function checkModelUpdate(): Promise<void> {
  if (state.status !== 'ready') {
    if (state.status === 'unavailable' || state.status === 'error') set({ status: 'idle' });
    ensureModel();
    return;
  }
  if (checking || !navigator.onLine) return;
  checking = true;
  try {
    const result = await stageModelUpdate((progress) =>
      setUpdate({ status: 'downloading', progress }),
    );
    setUpdate(result.status === 'staged' ? { ...result, status: 'staged' } : null);
    await activateIfFree();
  } catch {
    // The current model keeps working; the next sync tries again.
    setUpdate(null);
  } finally {
    checking = false;
  }
}

async function activateIfFree(): Promise<void> {
  if (holds > 0 || state.status !== 'ready' || state.update?.status !== 'staged') return;
  const { downloadedBytes, reusedBytes } = state.update;
  const previous = { version: state.info.version, downloadedBytes, reusedBytes };
  const info = await activateModelUpdate();
  set({ status: 'ready', info, update: null, previous });
}

function watchForUpdates(): void {
  if (watching) return;
  watching = true;
  const check = () => void checkModelUpdate();
  window.addEventListener('online', check);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') check();
  });
  setInterval(check, CHECK_EVERY_MS);
}

/**
 * While `active` (photos picked, or a diagnosis running), a downloaded update waits: the
 * diagnosis finishes on the model it started with, and the switch happens right after.
 */
export function useModelHold(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    holds++;
    return () => {
      holds--;
      void activateIfFree().catch(() => undefined);
    };
  }, [active]);
}

export function useModelState(): ModelState {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => state,
  );
}
