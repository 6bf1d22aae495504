// The inference worker on its own: an uploaded digit photo (dark ink on white, any size) is made
// MNIST-like as inference-digits.ts says, and a person's table file (semicolons, decimal commas,
// categories, a missing cell) is predicted row by row with the run's fitted preprocessing.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import type { ImagesResult, Loaded } from '../../src/training/inference-worker';
import { digitFromRgba } from '../../src/training/inference-digits';
import { encodeRow } from '../../src/training/inference-rows';
import { WorkerClient } from '../../src/training/worker-rpc';
import { tablePreprocessing } from '../fixtures/own-data-records';
import { savedModel } from '../helpers/saved-model';

const WASM = new URL('/node_modules/@tensorflow/tfjs-backend-wasm/dist/', location.href).href;
const worker = () => new WorkerClient(() => new Worker(new URL('../../src/training/inference-worker.ts', import.meta.url), { type: 'module' }));

function dense(inputShape: number[], classes: number): tf.LayersModel {
  const m = tf.sequential();
  if (inputShape.length > 1) m.add(tf.layers.flatten({ inputShape }));
  m.add(tf.layers.dense({ ...(inputShape.length > 1 ? {} : { inputShape }), units: classes, activation: 'softmax', kernelInitializer: tf.initializers.randomNormal({ stddev: 0.5, seed: 11 }) }));
  return m;
}

const predict = (m: tf.LayersModel, x: Float32Array, shape: number[]) => tf.tidy(() => Array.from((m.predict(tf.tensor(x, [1, ...shape])) as tf.Tensor).dataSync()));

describe('the inference worker', () => {
  it('a photo of a digit (dark on white, 120 × 90) is inverted, scaled into 20 × 20 and centred like MNIST', async () => {
    const model = dense([28, 28, 1], 10);
    const c = new OffscreenCanvas(120, 90);
    const ctx = c.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 120, 90);
    Object.assign(ctx, { strokeStyle: '#111', lineWidth: 7, lineCap: 'round' });
    ctx.beginPath();
    ctx.moveTo(30, 15);
    ctx.lineTo(90, 15);
    ctx.lineTo(55, 80);
    ctx.stroke();
    const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
    const client = worker();
    try {
      await client.call<Loaded>('load', { key: 'd', model: await savedModel(model), wasmPath: WASM });
      const r = await client.call<ImagesResult>('predictImages', { key: 'd', input: { kind: 'folder', files: [{ path: 'seven.png', blob: new Blob([bytes as BlobPart]) }] }, prep: { kind: 'digits' } });
      expect(r.names).to.deep.equal(['seven.png']);
      const expected = predict(model, digitFromRgba(ctx.getImageData(0, 0, 120, 90).data, 120, 90), [28, 28, 1]);
      expected.forEach((p, k) => expect(r.probabilities[k]).to.be.closeTo(p, 1e-5));
      const empty = new OffscreenCanvas(30, 30);
      empty.getContext('2d')!.clearRect(0, 0, 30, 30);
      const blank = await client.call<ImagesResult>('predictImages', { key: 'd', input: { kind: 'folder', files: [{ path: 'blank.png', blob: await empty.convertToBlob({ type: 'image/png' }) }] }, prep: { kind: 'digits' } });
      expect(blank.skipped).to.deep.equal([{ name: 'blank.png', reason: 'there is nothing drawn: draw a digit (or choose an image with one)' }]);
    } finally {
      client.terminate();
      model.dispose();
    }
  });

  it("a person's table file: every row predicted with the fitted preprocessing, the rows as given in the CSV", async () => {
    const pre = tablePreprocessing();
    const model = dense([8], 3);
    const file = new Blob(['age;bmi;smoker;region;outcome\n40;27,5;yes;north;ill\n;30;no;mars;\n61;24,1;no;east;healthy\n']);
    const client = worker();
    try {
      await client.call<Loaded>('load', { key: 't', model: await savedModel(model), wasmPath: WASM });
      const { csv, rows } = await client.call<{ csv: string; rows: number }>('predictTable', { key: 't', file, pre });
      expect(rows).to.equal(3);
      const lines = csv.trimEnd().split('\r\n');
      expect(lines[0]).to.equal('age,bmi,smoker,region,outcome,predicted_class,confidence,prob_at risk,prob_healthy,prob_ill');
      expect(lines[1].startsWith('40,27.5,yes,north,ill,')).to.equal(true);
      const second = lines[2].split(',');
      const expected = predict(model, encodeRow(pre, { age: '', bmi: '30', smoker: 'no', region: 'mars' }).x, [8]);
      second.slice(-3).forEach((p, k) => expect(Number(p)).to.be.closeTo(expected[k], 1e-6));
      expect(second[5]).to.equal(pre.label.classes[expected.indexOf(Math.max(...expected))]);
      // A column training imputed may be absent (filled in); one it dropped rows for may not.
      const partial = await client.call<{ rows: number }>('predictTable', { key: 't', file: new Blob(['age;bmi;smoker\n1;2;yes\n']), pre });
      expect(partial.rows).to.equal(1);
      const strict = { ...pre, inputs: pre.inputs.map((i) => (i.column === 'age' ? { ...i, impute: null } : i)) };
      const bad = client.call('predictTable', { key: 't', file: new Blob(['bmi;smoker;region\n2;yes;east\n']), pre: strict });
      await bad.then(() => expect.fail('a file without the age column is refused'), (e: Error) => expect(e.message).to.equal('the file has no column "age" (its columns: bmi, smoker, region)'));
    } finally {
      client.terminate();
      model.dispose();
    }
  });
});
