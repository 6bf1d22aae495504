// The decision boundary's pure functions, and the probe on a tiny model with known weights whose
// boundary is a known line.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import {
  BoundaryBudget,
  boundaryPoints,
  datasetPoints,
  gridClassAt,
  gridFromProbabilities,
  gridInputs,
  misclassified,
  planeOf,
  pointsExtent,
  tableStandardization,
  type PlaneTransform,
} from '../../src/training/decision-boundary';
import { BoundaryProbe } from '../../src/training/decision-boundary-model';
import { boundaryRgba, MAP_TINT, tintOf } from '../../src/training/decision-boundary-image';
import { classCounts, splitDataset } from '../../src/training/split';
import type { Dataset, DatasetSplit } from '../../src/training/types';
import type { FittedPreprocessing } from '../../src/training/datasets/table/preprocess-types';

const IDENTITY: PlaneTransform = { offset: [0, 0], scale: [1, 1] };

/** A 2-feature dataset of `n` points on a line from (lo, lo/2) to (hi, hi/2), class = x > 1. */
function lineData(n: number, lo: number, hi: number): Dataset {
  const features = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = lo + ((hi - lo) * i) / (n - 1);
    features.set([x, x / 2], 2 * i);
    labels[i] = x > 1 ? 0 : 1;
  }
  return { id: 'blobs', name: 'line', kind: 'tabular', source: 'test:line', inputShape: [2], classNames: ['right', 'left'], features, labels, numSamples: n };
}

/** Softmax over logits (u, −u) of the first input u: class 0 where u > 0, class 1 where u < 0. */
function signModel(): tf.Sequential {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2, activation: 'softmax' })] });
  model.layers[0].setWeights([tf.tensor2d([[1, -1], [0, 0]]), tf.tensor1d([0, 0])]);
  return model;
}

describe('decision boundary: the grid', () => {
  it('lays cell centres row by row from the bottom left, in the model units of the transform', () => {
    const plane: PlaneTransform = { offset: [1, -2], scale: [2, 4] };
    const x = gridInputs({ xMin: 0, xMax: 4, yMin: -2, yMax: 2 }, 2, plane);
    // centres: x ∈ {1, 3}, y ∈ {−1, 1}; model input ((x − 1) / 2, (y + 2) / 4)
    expect([...x]).to.deep.equal([0, 0.25, 1, 0.25, 0, 0.75, 1, 0.75]);
  });

  it('turns probabilities into the most likely class and its probability', () => {
    const g = gridFromProbabilities([0.2, 0.8, 0.9, 0.1, 0.5, 0.5, 0.3, 0.7], 2, { xMin: 0, xMax: 1, yMin: 0, yMax: 1 }, 2, 3);
    expect([...g.classes]).to.deep.equal([1, 0, 0, 1]);
    expect([...g.confidence].map((v) => +v.toFixed(2))).to.deep.equal([0.8, 0.9, 0.5, 0.7]);
    expect(g.epoch).to.equal(3);
    expect(() => gridFromProbabilities([0.5], 2, { xMin: 0, xMax: 1, yMin: 0, yMax: 1 }, 2, 1)).to.throw(RangeError);
  });

  it('reads the class at a point from the cell it falls in, clamped at the edges', () => {
    const g = gridFromProbabilities([1, 0, 0, 1, 0, 1, 1, 0], 2, { xMin: 0, xMax: 2, yMin: 0, yMax: 2 }, 2, 1);
    expect([gridClassAt(g, 0.5, 0.5), gridClassAt(g, 1.5, 0.5), gridClassAt(g, 0.5, 1.5), gridClassAt(g, 9, 9)]).to.deep.equal([0, 1, 1, 0]);
  });

  it('frames the points with a margin, with one scale for comparable spans and one per axis for very different ones', () => {
    const square = pointsExtent([0, 2], [0, 1], 0);
    expect(square).to.deep.equal({ xMin: 0, xMax: 2, yMin: -0.5, yMax: 1.5 });
    const wide = pointsExtent([0, 100], [0, 1], 0.1);
    expect(wide.xMin).to.be.closeTo(-10, 1e-9);
    expect(wide.xMax).to.be.closeTo(110, 1e-9);
    expect(wide.yMax - wide.yMin).to.be.closeTo(1.2, 1e-9);
  });

  it('maps a dense layer with set weights: the boundary is the line x = 1 in the dataset units (standardised input)', async () => {
    const ds = lineData(200, -3, 5);
    const split = splitDataset(ds, { train: 0.7, val: 0.15, test: 0.15 }, 1, { standardize: true });
    // The model sees u = (x − mean) / std; shift the bias so the model's line u = (1 − mean) / std is x = 1.
    const plane = planeOf(split)!;
    expect(plane.offset[0]).to.be.closeTo(split.standardization!.mean[0], 1e-6);
    const model = signModel();
    const u1 = (1 - plane.offset[0]) / plane.scale[0];
    model.layers[0].setWeights([tf.tensor2d([[1, -1], [0, 0]]), tf.tensor1d([-u1, u1])]);
    const probe = BoundaryProbe.create(split, 50)!;
    try {
      const g = await probe.grid(model, 7);
      expect(g.epoch).to.equal(7);
      expect(g.xMin).to.be.lessThan(-3);
      expect(g.xMax).to.be.greaterThan(5);
      for (let r = 0; r < g.size; r++) {
        for (let c = 0; c < g.size; c++) {
          const x = g.xMin + ((c + 0.5) * (g.xMax - g.xMin)) / g.size;
          if (Math.abs(x - 1) < 1e-3) continue;
          expect(g.classes[r * g.size + c], `cell at x=${x.toFixed(3)}`).to.equal(x > 1 ? 0 : 1);
        }
      }
      // Every test point lies on its class's side: the final map's points say none is misclassified.
      const labels = split.test.y;
      const fin = (await probe.final(model, 7, Int32Array.from(labels)))!;
      expect(fin.points.x.length).to.equal(200);
      expect([...fin.points.part].filter((p) => p === 2).length).to.equal(split.test.n);
      const at = [...fin.points.part].indexOf(2);
      expect(fin.points.predicted[at]).to.equal(fin.points.label[at]);
      // points are back in the dataset's units: on the line y = x / 2
      for (let i = 0; i < 200; i++) expect(fin.points.y[i]).to.be.closeTo(fin.points.x[i] / 2, 1e-4);
    } finally {
      probe.dispose();
      model.dispose();
    }
  });

  it('has no plane for images or more than two features', () => {
    const split = splitDataset(lineData(40, 0, 2), { train: 0.5, val: 0.25, test: 0.25 }, 1);
    expect(planeOf(split)).to.deep.equal(IDENTITY);
    expect(planeOf({ ...split, inputShape: [3] })).to.equal(null);
    expect(planeOf({ ...split, kind: 'image' })).to.equal(null);
  });

  it("takes a table's two numeric scalers as its transform, and none with a categorical input", () => {
    const pre = {
      inputs: [
        { column: 'a', kind: 'numeric', impute: null, scaler: { scaling: 'standard', mean: 10, std: 2 } },
        { column: 'b', kind: 'numeric', impute: null, scaler: { scaling: 'minmax', min: -1, max: 3 } },
      ],
      outputNames: ['a', 'b'],
    } as unknown as FittedPreprocessing;
    const s = tableStandardization(pre)!;
    expect([...s.mean]).to.deep.equal([10, -1]);
    expect([...s.std]).to.deep.equal([2, 4]);
    const cat = { ...pre, inputs: [pre.inputs[0], { column: 'c', kind: 'categorical', impute: null, categories: ['x'] }] } as unknown as FittedPreprocessing;
    expect(tableStandardization(cat)).to.equal(null);
  });
});

describe('decision boundary: points, budget and image', () => {
  const split = (): DatasetSplit => {
    const part = (rows: number[], y: number[]) => ({
      x: new Float32Array(rows.flatMap((r) => [r, 0])), y: Int32Array.from(y), n: rows.length, indices: Int32Array.from(rows), classCounts: classCounts(y, 2),
    });
    return { datasetId: 'blobs', kind: 'tabular', inputShape: [2], classNames: ['a', 'b'], seed: 0, ratios: { train: 0.5, val: 0.25, test: 0.25 }, train: part([0, 3], [0, 1]), val: part([1], [0]), test: part([2], [1]) };
  };

  it('gives every row its part and each test row its predicted class, matched by row index', () => {
    const s = split();
    const p = datasetPoints(new Float32Array([0, 0, 1, 0, 2, 0, 3, 0]), Int32Array.from([0, 0, 1, 1]), s, Int32Array.from([0]));
    expect([...p.part!]).to.deep.equal([0, 1, 2, 0]);
    expect([...p.predicted!]).to.deep.equal([-1, -1, 0, -1]);
    expect(misclassified(p, 2)).to.equal(true);
    expect(misclassified(p, 0)).to.equal(false);
    const stored = boundaryPoints(s, { offset: [10, 0], scale: [2, 1] }, [1]);
    expect([...stored.x]).to.deep.equal([10, 16, 12, 14]); // train rows 0 and 3, val row 1, test row 2: x·2 + 10
    expect([...stored.part]).to.deep.equal([0, 0, 1, 2]);
    expect([...stored.predicted]).to.deep.equal([-1, -1, -1, 1]);
  });

  it('rings a test point by the map where it lies while no prediction is known', () => {
    const p = datasetPoints(new Float32Array([0, 0, 1, 0, 2, 0, 3, 0]), Int32Array.from([0, 0, 1, 1]), split());
    const allZero = gridFromProbabilities([1, 0, 1, 0, 1, 0, 1, 0], 2, { xMin: -1, xMax: 4, yMin: -1, yMax: 1 }, 2, 1);
    expect(misclassified(p, 2, allZero)).to.equal(true); // label 1, map says 0
    expect(misclassified(p, 2)).to.equal(false); // nothing to judge by
  });

  it('draws maps while they stay within 5 % of the training time', () => {
    const b = new BoundaryBudget(0.05);
    b.expect(0.2); // a map timed before training
    expect(b.due(1)).to.equal(false); // 0.2 > 0.05 × 1 s
    expect(b.due(3)).to.equal(true); // 0.2 ≤ 0.05 × 4 s
    b.spend(0.12); // it took 0.12 s
    b.expect(99); // only until a map was drawn
    expect(b.due(0.5)).to.equal(false); // the last map's cost now: 0.12 + 0.12 > 0.05 × 4.5 s
    expect(b.due(0.5)).to.equal(true); // 0.24 ≤ 0.05 × 5 s
    b.spend(0.1);
    expect(b.overhead).to.be.closeTo(0.22 / 5, 1e-9);
    expect(b.overhead).to.be.at.most(0.05);
  });

  it('colours each cell by its class, lighter where less sure, top row first', () => {
    const g = gridFromProbabilities([1, 0, 0.5, 0.5, 0, 1, 0, 1], 2, { xMin: 0, xMax: 1, yMin: 0, yMax: 1 }, 2, 1);
    const rgba = boundaryRgba(g, 2, (k) => (k === 0 ? '#ff0000' : '#0000ff'));
    // bottom row (cells 0, 1) is the image's second row
    const px = (i: number) => [...rgba.subarray(4 * i, 4 * i + 4)];
    const white = (v: number, a: number) => Math.round(255 * (1 - a) + v * a);
    expect(px(2)).to.deep.equal([white(255, MAP_TINT.max), white(0, MAP_TINT.max), white(0, MAP_TINT.max), 255]); // cell 0: class 0, sure
    expect(px(3)).to.deep.equal([white(255, MAP_TINT.min), white(0, MAP_TINT.min), white(0, MAP_TINT.min), 255]); // cell 1: chance
    expect(px(0)).to.deep.equal([white(0, MAP_TINT.max), white(0, MAP_TINT.max), white(255, MAP_TINT.max), 255]); // cell 2: class 1
    expect(tintOf(0.5, 2)).to.equal(MAP_TINT.min);
  });
});
