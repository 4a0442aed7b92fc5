// Reading values out of tf.tidy(). tidy() walks whatever its callback returns, looking for tensors
// to keep, and for a typed array that walk visits every index: return the tensors from tidy and
// read them here instead (a retrain's d×d Gram matrices lost 22 s of 98 to that walk). Shared by
// Node and the browser, so it imports only the TF.js types.
import type { Tensor } from '@tensorflow/tfjs';

/** The values of each tensor (as float32), then every tensor freed, also when a read fails. */
export function readAndDispose(...tensors: Tensor[]): Float32Array[] {
  try {
    return tensors.map((t) => t.dataSync() as Float32Array);
  } finally {
    for (const t of tensors) t.dispose();
  }
}
