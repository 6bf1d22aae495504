// Builds comparison.zip off the page's main thread: ten figures (OffscreenCanvas and jsPDF) and the
// zip itself would otherwise block the page for a second or more.
import { buildComparisonZip, type ComparisonExport } from '../compare/comparison-zip';

export type ComparisonZipMessage =
  | { type: 'progress'; fraction: number; what: string }
  | { type: 'done'; blob: Blob }
  | { type: 'error'; message: string };

const post = (m: ComparisonZipMessage) => postMessage(m);

onmessage = async (e: MessageEvent<ComparisonExport>) => {
  try {
    const blob = await buildComparisonZip(e.data, { onProgress: (fraction, what) => post({ type: 'progress', fraction, what }) });
    post({ type: 'done', blob });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
