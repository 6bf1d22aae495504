// A fingerprint of a dataset, so a record says exactly which data it was trained on and a resumed
// run can check it still has the same data. SHA-256 over a small header (shape, sample count and
// class names as JSON) followed by the raw feature bytes (float32, platform byte order: little
// endian on every browser platform) and the label bytes (int32).
import type { Dataset } from '../training/types';

const HEADER_TAG = 'trainlab-dataset-v1';

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Hex SHA-256 of the dataset's content; same data ⇒ same hash, whatever its name or source. */
export async function sha256OfDataset(ds: Dataset): Promise<string> {
  if (!globalThis.crypto?.subtle) throw new Error('hashing the dataset needs a secure context (https or localhost)');
  const header = new TextEncoder().encode(
    `${HEADER_TAG}\n${JSON.stringify({ inputShape: ds.inputShape, numSamples: ds.numSamples, classNames: ds.classNames })}\n`,
  );
  const parts = [header, bytesOf(ds.features), bytesOf(ds.labels)];
  const all = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.byteLength;
  }
  const digest = await crypto.subtle.digest('SHA-256', all);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
