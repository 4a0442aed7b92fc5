import { useSyncExternalStore } from 'react';
import { ClassifierError, loadModel } from '../classifier/classifier-client';
import type { LoadProgress, ModelInfo } from '../classifier/protocol';

export type ModelState =
  | { status: 'idle' }
  | { status: 'loading'; progress: LoadProgress | null }
  | { status: 'ready'; info: ModelInfo }
  | { status: 'unavailable' }
  | { status: 'error'; message: string };

let state: ModelState = { status: 'idle' };
const listeners = new Set<() => void>();

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
    (info) => set({ status: 'ready', info }),
    (err: unknown) =>
      set(
        err instanceof ClassifierError && err.code === 'MODEL_NOT_AVAILABLE'
          ? { status: 'unavailable' }
          : { status: 'error', message: err instanceof Error ? err.message : String(err) },
      ),
  );
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
