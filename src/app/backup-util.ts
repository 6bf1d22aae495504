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

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
export const isAbort = (e: unknown, signal?: AbortSignal): boolean => signal?.aborted === true || (e instanceof DOMException && e.name === 'AbortError');
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function formatBytes(n: number): string {
  return n < 1e6 ? `${(n / 1e3).toFixed(1)} kB` : n < 1e9 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e9).toFixed(2)} GB`;
}
