// TF.js in Node without tfjs-node: the WASM backend, loaded from the installed package's dist
// folder (never fetched), SIMD on. Threads are unavailable in Node, so parallelism comes from
// worker_threads each holding its own WASM instance (see embed-pool.ts).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let ready: Promise<void> | null = null;

function wasmDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/');
}

export function initTf(): Promise<void> {
  ready ??= (async () => {
    const dir = wasmDir();
    // Absolute local paths: Emscripten's Node loader reads them from disk (nothing is fetched).
    setWasmPaths({
      'tfjs-backend-wasm.wasm': join(dir, 'tfjs-backend-wasm.wasm'),
      'tfjs-backend-wasm-simd.wasm': join(dir, 'tfjs-backend-wasm-simd.wasm'),
      'tfjs-backend-wasm-threaded-simd.wasm': join(dir, 'tfjs-backend-wasm-threaded-simd.wasm'),
    });
    tf.env().set('WASM_HAS_SIMD_SUPPORT', true);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    tf.env().set('IS_NODE', true);
    if (!(await tf.setBackend('wasm'))) throw new Error('TF.js WASM backend failed to initialise');
    await tf.ready();
  })();
  return ready;
}

export { tf };
