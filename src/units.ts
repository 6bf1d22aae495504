// Small text helpers shared by the page, its workers and the stores (no DOM, no imports).

/** Bytes in decimal units, as the page shows them everywhere: 0.5 kB, 12.3 kB, 4.5 MB, 1.25 GB; '–' when unknown. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return n < 1e6 ? `${(n / 1e3).toFixed(1)} kB` : n < 1e9 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e9).toFixed(2)} GB`;
}

/** `3 runs`, `1 run`. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** An error's message (or the thrown value as text). */
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
