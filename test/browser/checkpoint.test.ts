// Snapshots, ack gating, resume and best-model selection, through the real worker on the cpu
// backend (deterministic, so a resumed run can be compared with a straight one number for number).
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import type { EpochMetrics, EpochSnapshot, ResumeFrom, SavedModel, TrainingEvent } from '../../src/training/types';
import { blobs, config, epochs, expectOrder, expectSteadyMemory, finished, MLP, of, run, type Run } from './train-helpers';

const snapshots = (r: Run): EpochSnapshot[] => of(r, 'epoch').map((e) => e.snapshot);
const resumeFrom = (s: EpochSnapshot, best?: EpochSnapshot): ResumeFrom => ({ model: s.model, state: s.resume, ...(best ? { best: best.model } : {}) });
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Byte offset and length of each weight in a SavedModel's buffer (all float32/int32 here). */
function layout(m: SavedModel): { name: string; group?: string; start: number; bytes: number }[] {
  let at = 0;
  return m.weightSpecs.map((s) => {
    const bytes = 4 * s.shape.reduce((a, b) => a * b, 1);
    const entry = { name: s.name, group: s.group, start: at, bytes };
    at += bytes;
    return entry;
  });
}

const iterations = (m: SavedModel): number => {
  const iter = layout(m).find((w) => w.group === 'optimizer' && w.name === 'iter');
  if (!iter) throw new Error('no optimizer iteration counter in the snapshot');
  return new Int32Array(m.weightData, iter.start, 1)[0];
};

/** The same snapshot without its optimizer state (model weights precede the optimizer's). */
function withoutOptimizer(m: SavedModel): SavedModel {
  const own = layout(m).filter((w) => w.group !== 'optimizer');
  const bytes = own.reduce((a, w) => a + w.bytes, 0);
  return { ...m, weightSpecs: m.weightSpecs.filter((s) => s.group !== 'optimizer'), weightData: m.weightData.slice(0, bytes) };
}

async function predict(m: SavedModel, x: Float32Array, n: number): Promise<Float32Array> {
  const model = await tf.loadLayersModel(tf.io.fromMemory(m as unknown as tf.io.ModelArtifacts));
  const input = tf.tensor2d(x, [n, x.length / n]);
  const out = model.predict(input) as tf.Tensor;
  const probs = new Float32Array(await out.data());
  tf.dispose([input, out]);
  model.dispose();
  return probs;
}

function expectSameLosses(a: EpochMetrics[], b: EpochMetrics[], what: string): void {
  expect(a.map((m) => m.epoch), what).to.deep.equal(b.map((m) => m.epoch));
  a.forEach((m, i) => {
    expect(m.trainLoss, `${what}: train loss, epoch ${m.epoch}`).to.be.closeTo(b[i].trainLoss, 1e-5);
    expect(m.valLoss, `${what}: val loss, epoch ${m.epoch}`).to.be.closeTo(b[i].valLoss, 1e-5);
    expect(m.learningRate, `${what}: learning rate, epoch ${m.epoch}`).to.be.closeTo(b[i].learningRate, 1e-12);
  });
}

before(async () => {
  await tf.setBackend('cpu');
});

describe('epoch snapshots and ack gating', () => {
  it('waits for the handler of epoch 1 before it starts epoch 2', async () => {
    let released = 0;
    const arrived: { type: TrainingEvent['type']; epoch: number; at: number }[] = [];
    const r = await run(blobs(), MLP, config({ epochs: 3 }), async (e) => {
      const epoch = e.type === 'epoch' ? e.metrics.epoch : e.type === 'progress' || e.type === 'best' ? e.epoch : 0;
      arrived.push({ type: e.type, epoch, at: performance.now() });
      if (e.type === 'epoch' && e.metrics.epoch === 1) {
        await sleep(400);
        released = performance.now();
      }
    });
    expectOrder(r);
    expect(finished(r).status).to.equal('completed');
    expect(released, 'the epoch-1 handler had finished before the run ended').to.be.greaterThan(0);
    const later = arrived.filter((a) => a.epoch >= 2 && a.type !== 'best');
    expect(later.length).to.be.greaterThan(0);
    for (const a of later) expect(a.at, `${a.type} of epoch ${a.epoch} after the ack`).to.be.at.least(released);
  });

  it('stop() ends a run that waits for an ack that never comes, with the test set evaluated', async () => {
    const r = await run(blobs(), MLP, config({ epochs: 5 }), (e, bridge) => {
      if (e.type !== 'epoch') return;
      setTimeout(() => bridge.stop(), 300);
      return new Promise<void>(() => {}); // never resolves
    });
    const f = finished(r);
    expect(f.status).to.equal('stopped');
    expect(f.reason).to.equal('stopped by the user after 1 of 5 epochs');
    expect(epochs(r).map((m) => m.epoch)).to.deep.equal([1]);
    expect(f.test?.yPred.length).to.equal(blobs().test.n);
    expect(f).to.include({ testEpoch: 1, testWeights: 'best' });
  });

  it('stopped inside epoch 1: the trainer tests the weights at the end of the run and says so', async () => {
    // 20,000 points at batch 16: epoch 1 takes ~900 batches, and the stop comes at the first.
    const r = await run(blobs(20_000), MLP, config({ epochs: 5 }), (e, bridge) => {
      if (e.type === 'started') bridge.stop();
    });
    const f = finished(r);
    expect(epochs(r)).to.deep.equal([]);
    expect(f).to.include({ status: 'stopped', testEpoch: 0, testWeights: 'final', bestEpoch: 0 });
    expect(f.test?.yPred.length).to.equal(blobs(20_000).test.n);
  });

  it('a rejected handler leaves the epoch unacked until ack(epoch)', async () => {
    let rejectedAt = 0;
    const r = await run(blobs(), MLP, config({ epochs: 2 }), (e, bridge) => {
      if (e.type !== 'epoch' || e.metrics.epoch !== 1) return;
      rejectedAt = performance.now();
      setTimeout(() => bridge.ack(1), 500);
      return Promise.reject(new Error('QuotaExceededError (simulated)'));
    });
    expect(finished(r).status).to.equal('completed');
    const second = r.events.findIndex((e) => e.type === 'epoch' && e.metrics.epoch === 2);
    expect(second).to.be.greaterThan(0);
    expect(r.ms).to.be.greaterThan(500);
    expect(rejectedAt).to.be.greaterThan(0);
  });

  it('marks periodic and best snapshots, and the tensor count stays flat', async () => {
    const r = await run(blobs(), MLP, config({ epochs: 5, saveFreq: 2, earlyStopping: { enabled: false, patience: 1, monitor: 'val_loss' } }));
    expectOrder(r);
    expectSteadyMemory(r);
    const s = snapshots(r);
    expect(s.filter((x) => x.isPeriodic).map((x) => x.resume.epoch)).to.deep.equal([2, 4]);
    expect(s.filter((x) => x.isBest).map((x) => x.resume.epoch)).to.deep.equal(of(r, 'best').map((b) => b.epoch));
    const valLoss = epochs(r).map((m) => m.valLoss);
    const improved = valLoss.map((v, i) => valLoss.slice(0, i).every((u) => v < u));
    expect(s.map((x) => x.isBest)).to.deep.equal(improved);
    expect(s.map((x) => x.resume.bestEpoch)).to.deep.equal(s.map((_, i) => 1 + valLoss.slice(0, i + 1).indexOf(Math.min(...valLoss.slice(0, i + 1)))));
  });
});

describe('resume', () => {
  it('continues an Adam run exactly: epochs 3 and 4 match the straight run (optimizer state included)', async () => {
    const split = blobs();
    const cfg = config({ epochs: 4, optimizer: 'adam', learningRate: 0.05 });
    const straight = await run(split, MLP, cfg);
    expectSteadyMemory(straight);
    const first = await run(split, MLP, cfg, (e, bridge) => {
      if (e.type === 'epoch' && e.metrics.epoch === 2) bridge.stop();
    });
    expect(finished(first).status).to.equal('stopped');
    expectSameLosses(epochs(first), epochs(straight).slice(0, 2), 'the first two epochs');
    const snap = snapshots(first)[1];
    const batches = Math.ceil(split.train.n / cfg.batchSize);
    expect(iterations(snap.model), 'Adam iterations saved').to.equal(2 * batches);
    expect(layout(snap.model).filter((w) => w.group === 'optimizer').length, 'iter + m and v per weight').to.equal(1 + 2 * 4);

    const resumed = await run(split, MLP, cfg, undefined, { resume: resumeFrom(snap) });
    expectOrder(resumed, 2);
    expectSteadyMemory(resumed);
    expect(finished(resumed).status).to.equal('completed');
    expectSameLosses(epochs(resumed), epochs(straight).slice(2), 'resumed at epoch 3');
    expect(iterations(snapshots(resumed)[1].model)).to.equal(4 * batches);

    // Without the optimizer state, Adam restarts its moments and bias correction: epoch 3 differs.
    const fresh = await run(split, MLP, cfg, undefined, { resume: { model: withoutOptimizer(snap.model), state: snap.resume } });
    expect(iterations(snapshots(fresh)[0].model)).to.equal(batches);
    const diff = Math.abs(epochs(fresh)[0].trainLoss - epochs(straight)[2].trainLoss);
    expect(diff, 'a resume without optimizer state is not the same run').to.be.greaterThan(1e-4);
  });

  it('restores the plateau schedule and the early stopper', async () => {
    const split = blobs();
    // val accuracy saturates at once on these blobs, so plateau (patience 1) halves the rate each epoch
    const cfg = config({
      epochs: 5,
      schedule: { kind: 'plateau', factor: 0.5, patience: 1, minLr: 0 },
      earlyStopping: { enabled: false, patience: 3, monitor: 'val_acc' },
    });
    const straight = await run(split, MLP, cfg);
    const lrs = epochs(straight).map((m) => m.learningRate);
    expect(lrs[2], `the rate was reduced before epoch 3: ${lrs.join(', ')}`).to.be.lessThan(cfg.learningRate);
    const snap = snapshots(straight)[1];
    expect((snap.resume.scheduler as { lr: number }).lr).to.equal(lrs[2]);
    const resumed = await run(split, MLP, cfg, undefined, { resume: resumeFrom(snap) });
    expectSameLosses(epochs(resumed), epochs(straight).slice(2), 'resumed plateau run');
    expect(snapshots(resumed).map((s) => s.resume.stopper)).to.deep.equal(snapshots(straight).slice(2).map((s) => s.resume.stopper));
    expect(finished(resumed).bestEpoch).to.equal(finished(straight).bestEpoch);
  });

  it('rejects a snapshot beyond the run with a readable error', async () => {
    const first = await run(blobs(), MLP, config({ epochs: 2 }));
    const r = await run(blobs(), MLP, config({ epochs: 1 }), undefined, { resume: resumeFrom(snapshots(first)[1]) });
    expect(r.final).to.include({ type: 'failed', kind: 'error', message: 'cannot resume after epoch 2 of a 1-epoch run' });
  });
});

describe('model selection', () => {
  // Selected on val accuracy, which saturates within the first epochs on these blobs while the
  // weights go on changing: the best epoch is not the last (checked below).
  const cfg = config({ epochs: 6, earlyStopping: { enabled: false, patience: 3, monitor: 'val_acc' } });

  it('tests the best epoch’s weights, and the final ones separately', async () => {
    const split = blobs();
    const r = await run(split, MLP, cfg);
    expectSteadyMemory(r);
    const f = finished(r);
    const valAcc = epochs(r).map((m) => m.valAcc);
    expect(f.bestEpoch, `best before the last epoch: ${valAcc.map((v) => v.toFixed(1)).join(', ')}`).to.be.lessThan(6);
    expect(f.testEpoch).to.equal(f.bestEpoch);
    const snaps = snapshots(r);
    const n = split.test.n;
    // test: the best snapshot's predictions; finalTest: the last snapshot's
    const best = await predict(snaps[f.bestEpoch - 1].model, split.test.x, n);
    Array.from(f.test!.probabilities).forEach((p, i) => expect(p).to.be.closeTo(best[i], 1e-5));
    const last = await predict(snaps[5].model, split.test.x, n);
    let loss = 0;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const row = Array.from(last.slice(i * 3, i * 3 + 3));
      loss -= Math.log(Math.min(Math.max(row[split.test.y[i]], 1e-7), 1 - 1e-7));
      if (row.indexOf(Math.max(...row)) === split.test.y[i]) correct++;
    }
    expect(f.finalTest!.loss).to.be.closeTo(loss / n, 1e-4);
    expect(f.finalTest!.accuracy).to.be.closeTo((100 * correct) / n, 1e-9);
    expect(f.finalTest!.loss).to.not.be.closeTo(f.test!.loss, 1e-6);
  });

  it('keeps the best weights across a resume when the best snapshot is passed along', async () => {
    const split = blobs();
    const r = await run(split, MLP, cfg);
    const f = finished(r);
    const snaps = snapshots(r);
    expect(f.bestEpoch).to.be.lessThan(5);
    const resumed = await run(split, MLP, cfg, undefined, { resume: resumeFrom(snaps[4], snaps[f.bestEpoch - 1]) });
    const g = finished(resumed);
    expect(g.testEpoch).to.equal(f.bestEpoch);
    expect(g.bestEpoch).to.equal(f.bestEpoch);
    Array.from(g.test!.probabilities).forEach((p, i) => expect(p).to.be.closeTo(f.test!.probabilities[i], 1e-6));
    expect(g.finalTest!.loss).to.be.closeTo(f.finalTest!.loss, 1e-5);
  });
});
