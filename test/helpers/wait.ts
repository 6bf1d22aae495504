/** Polls `probe` until it returns something truthy, and returns that; fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 20000, everyMs = 25): Promise<T> {
  const start = performance.now();
  for (;;) {
    const v = probe();
    if (v) return v;
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
