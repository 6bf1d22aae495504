// Seeded 2-D toy datasets. Every generator places a point exactly (on an arm, a moon, a ring,
// a quadrant, a blob centre) and then adds Gaussian jitter with standard deviation
// JITTER * noise, so noise 0 gives clean shapes and noise 1 heavy overlap.
// Features stay roughly in [-1.5, 1.5]; classes are balanced (counts differ by at most 1)
// and rows are interleaved by class (row r belongs to class r % classes while all have points).

import { createRng, type Rng } from '../rng';
import { SYNTHETIC_DATASETS, isSyntheticDataset, type Dataset, type SyntheticDatasetId, type SyntheticOptions } from '../types';
import { validateSynthetic } from '../config';
import { DatasetError } from './errors';

const JITTER = 0.5;

type Point = [number, number];
/** The exact (noise-free) position of point i of n in class c of k. */
type Place = (c: number, k: number, i: number, n: number, rng: Rng) => Point;

interface Generator {
  title: string;
  multiClass: boolean; // uses opts.classes; otherwise always 2 classes
  classNames?: string[];
  place: Place;
}

const spiral: Place = (c, k, i, n) => {
  const t = (i + 0.5) / n;
  const r = 0.15 + 1.15 * t;
  const a = (2 * Math.PI * c) / k + 2.5 * Math.PI * t; // 1.25 turns per arm: arms stay apart at moderate noise
  return [r * Math.cos(a), r * Math.sin(a)];
};

const moon: Place = (c, _k, i, n) => {
  const t = (Math.PI * (i + 0.5)) / n;
  return c === 0 ? [Math.cos(t) - 0.5, Math.sin(t) - 0.25] : [0.5 - Math.cos(t), 0.25 - Math.sin(t)];
};

const ring: Place = (c, _k, i, n) => {
  const a = (2 * Math.PI * (i + 0.5)) / n;
  const r = c === 0 ? 0.5 : 1.1;
  return [r * Math.cos(a), r * Math.sin(a)];
};

// Class 0 holds the quadrants where x and y share a sign, class 1 the other two; alternate between them.
const xorQuadrant: Place = (c, _k, i, _n, rng) => {
  const sx = i % 2 === 0 ? 1 : -1;
  const sy = c === 0 ? sx : -sx;
  return [sx * (0.1 + 0.9 * rng.next()), sy * (0.1 + 0.9 * rng.next())];
};

const blob: Place = (c, k) => {
  const a = Math.PI / 2 + (2 * Math.PI * c) / k;
  return [Math.cos(a), Math.sin(a)];
};

const GENERATORS: Record<SyntheticDatasetId, Generator> = {
  spirals: { title: 'Spirals', multiClass: true, place: spiral },
  moons: { title: 'Moons', multiClass: false, classNames: ['upper', 'lower'], place: moon },
  circles: { title: 'Circles', multiClass: false, classNames: ['inner', 'outer'], place: ring },
  xor: { title: 'XOR', multiClass: false, classNames: ['same sign', 'opposite sign'], place: xorQuadrant },
  blobs: { title: 'Blobs', multiClass: true, place: blob },
};

/** Balanced per-class counts: floor(n/k), the first n % k classes get one more. */
export function balancedCounts(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, c) => Math.floor(n / k) + (c < n % k ? 1 : 0));
}

function validate(id: SyntheticDatasetId, opts: SyntheticOptions): void {
  if (!isSyntheticDataset(id)) {
    throw new DatasetError(`unknown synthetic dataset: ${String(id)} (one of ${SYNTHETIC_DATASETS.join(', ')})`);
  }
  const problems = validateSynthetic(opts);
  // moons, circles and xor are two-class whatever `classes` says.
  if (!GENERATORS[id].multiClass) delete problems.classes;
  const first = Object.values(problems)[0];
  if (first) throw new DatasetError(`invalid ${id} options: ${first}`);
}

export function makeSynthetic(id: SyntheticDatasetId, opts: SyntheticOptions): Dataset {
  validate(id, opts);
  const gen = GENERATORS[id];
  const k = gen.multiClass ? opts.classes : 2;
  const { samples, noise, seed } = opts;
  const rng = createRng(seed);
  const counts = balancedCounts(samples, k);
  const features = new Float32Array(samples * 2);
  const labels = new Int32Array(samples);
  const sd = JITTER * noise;
  let row = 0;
  for (let i = 0; i < counts[0]; i++) {
    for (let c = 0; c < k; c++) {
      if (i >= counts[c]) continue;
      const [x, y] = gen.place(c, k, i, counts[c], rng);
      features[2 * row] = x + sd * rng.normal();
      features[2 * row + 1] = y + sd * rng.normal();
      labels[row++] = c;
    }
  }
  return {
    id,
    name: `${gen.title} (${k} classes)`,
    kind: 'tabular',
    source: `synthetic:${id} classes=${k} samples=${samples} noise=${noise} seed=${seed}`,
    inputShape: [2],
    classNames: gen.classNames ?? Array.from({ length: k }, (_, c) => `class ${c}`),
    features,
    labels,
    numSamples: samples,
  };
}
