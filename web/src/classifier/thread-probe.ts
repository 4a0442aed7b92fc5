/**
 * Can this context run the tfjs threaded WASM build? It needs SharedArrayBuffer
 * (crossOriginIsolated) AND a CSP letting pthread workers importScripts() a blob: URL (tfjs hands
 * Emscripten its factory as a Blob). A CSP without `script-src blob:` breaks the pthreads
 * asynchronously, so probe exactly that before choosing the threaded binary.
 */
export async function canUseWasmThreads(timeoutMs = 1500): Promise<boolean> {
  if (!self.crossOriginIsolated || typeof SharedArrayBuffer === 'undefined') return false;
  const inner = URL.createObjectURL(
    new Blob(['self.probeOk = true;'], { type: 'text/javascript' }),
  );
  const outer = URL.createObjectURL(
    new Blob(
      [
        `try { importScripts(${JSON.stringify(inner)}); postMessage(self.probeOk === true); } catch (e) { postMessage(false); }`,
      ],
      { type: 'text/javascript' },
    ),
  );
  try {
    return await new Promise<boolean>((resolve) => {
      const w = new Worker(outer);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        w.terminate();
        resolve(ok);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      w.onmessage = (e: MessageEvent<boolean>) => done(e.data === true);
      w.onerror = (e) => {
        e.preventDefault();
        done(false);
      };
    });
  } catch {
    return false;
  } finally {
    URL.revokeObjectURL(inner);
    URL.revokeObjectURL(outer);
  }
}
