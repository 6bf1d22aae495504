// Small helpers shared by the backup and restore controllers (light: loaded with the page).

/** A zero-delay yield that hidden tabs do not throttle (unlike setTimeout). */
export function tick(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

export const isAbort = (e: unknown, signal?: AbortSignal): boolean => signal?.aborted === true || (e instanceof DOMException && e.name === 'AbortError');
