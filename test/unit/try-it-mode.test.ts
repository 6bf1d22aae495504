import { expect } from '@esm-bundle/chai';
import { planePoints } from '../../src/app/try-it-data';
import { percentages, tryItPlan } from '../../src/app/try-it-mode';
import { splitDataset } from '../../src/training/split';
import type { Dataset } from '../../src/training/types';
import type { CheckpointRef, RunRecord } from '../../src/recorder/run-record';
import { createRunRecord } from '../../src/recorder/recorder';
import { makeInit } from '../helpers/run-fixtures';
import { ownImagesRun, ownTableRun } from '../fixtures/own-data-records';

const best: CheckpointRef = { kind: 'best', epoch: 4, key: 'r/best', bytes: 100, with_optimizer: true };
const latest: CheckpointRef = { kind: 'latest', epoch: 6, key: 'r/latest', bytes: 100, with_optimizer: true };
const withRefs = <R extends RunRecord>(r: R, refs: CheckpointRef[]): R => ({ ...r, checkpoints: refs });

describe('what Try it offers for a run', () => {
  it('weights: the best checkpoint, else the latest; none: says why', () => {
    const spirals = { ...createRunRecord(makeInit()), status: 'completed' as const };
    const plan = tryItPlan(withRefs(spirals, [latest, best]));
    expect(plan.ok && plan.ref.kind).to.equal('best');
    const onlyLatest = tryItPlan(withRefs(spirals, [latest]));
    expect(onlyLatest.ok && onlyLatest.ref.kind).to.equal('latest');
    const none = tryItPlan(withRefs(spirals, []));
    expect(none).to.deep.equal({ ok: false, reason: 'Try it is not available: no weights of it are stored (none was saved, or they were deleted).' });
    expect(tryItPlan(withRefs({ ...spirals, status: 'running' }, [best]))).to.deep.equal({ ok: false, reason: 'Try it opens when the run has ended: it does not take time from a run that is training.' });
    const interrupted = tryItPlan(withRefs({ ...spirals, status: 'interrupted' }, [latest]));
    expect(interrupted.ok && interrupted.ref.kind).to.equal('latest');
  });

  it('inputs: a 2-D set rebuilt from its own run, a table with its fitted preprocessing, images with their size and colour mode', () => {
    const spirals = tryItPlan(withRefs({ ...createRunRecord(makeInit()), status: 'stopped' as const }, [best]));
    expect(spirals.ok && spirals.input.kind === 'builtin-table' && spirals.input.plane).to.equal(true);
    const table = tryItPlan(withRefs(ownTableRun().record, [best]));
    expect(table.ok && table.input.kind === 'table' && table.input.pre.label.column).to.equal('outcome');
    const images = tryItPlan(withRefs(ownImagesRun().record, [best]));
    expect(images.ok && images.input).to.deep.equal({ kind: 'images', prep: { kind: 'images', size: 32, color: 'rgb' } });
  });

  it('MNIST draws; an imported run with unknown data or without its weights says why not', () => {
    const r = { ...createRunRecord(makeInit()), status: 'completed' as const };
    const mnist = withRefs({ ...r, dataset: { ...r.dataset, id: 'mnist', input_shape: [28, 28, 1] } }, [best]);
    expect(tryItPlan(mnist)).to.deep.include({ ok: true, input: { kind: 'digits', prep: { kind: 'digits' } } });
    const origin = { kind: 'imported', file: 'run.zip', path: '', format: 'reference', imported_at: '2026-11-30T10:00:00.000+00:00' } as const;
    const other = withRefs({ ...r, origin, dataset: { ...r.dataset, id: 'cifar10', name: 'CIFAR-10' } }, [best]);
    expect(tryItPlan(other)).to.deep.equal({ ok: false, reason: 'Try it is not available: how its data "CIFAR-10" was prepared is not known here.' });
    expect(tryItPlan(withRefs({ ...r, origin }, []))).to.deep.equal({ ok: false, reason: 'Try it is not available: it was imported without its weights.' });
    const lone = tryItPlan(withRefs({ ...r, origin }, [best]));
    expect(!lone.ok && lone.reason).to.match(/standardised with statistics of a split this page cannot rebuild/);
  });
});

describe('probabilities as percentages', () => {
  it('add up to exactly 100 at one decimal (largest remainder)', () => {
    for (const p of [[1 / 3, 1 / 3, 1 / 3], [0.1234, 0.2345, 0.6421], Array.from({ length: 10 }, (_, i) => (i + 1) / 55)]) {
      const pct = percentages(p);
      expect(Math.round(pct.reduce((a, b) => a + b, 0) * 10)).to.equal(1000);
      pct.forEach((v, i) => expect(Math.abs(v - p[i] * 100)).to.be.below(0.1 + 1e-9));
    }
    expect(percentages([1 / 3, 1 / 3, 1 / 3])).to.deep.equal([33.4, 33.3, 33.3]);
    expect(percentages([0, 0])).to.deep.equal([0, 0]);
  });
});

describe('the plane of a 2-D set', () => {
  it("shows the train and test points in the data's own coordinates (the standardisation undone), with a margin", () => {
    const n = 40;
    const features = Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 ? 100 + (i % 7) : -3 + (i % 5) * 0.5));
    const dataset: Dataset = { id: 'moons', name: 'm', kind: 'tabular', source: 't', inputShape: [2], classNames: ['a', 'b'], features, labels: Int32Array.from({ length: n }, (_, i) => i % 2), numSamples: n };
    const split = splitDataset(dataset, { train: 0.5, val: 0.25, test: 0.25 }, 1, { standardize: true });
    const p = planePoints(split);
    expect(p.x.length).to.equal(split.train.n + split.test.n);
    const rows = [...split.train.indices, ...split.test.indices];
    rows.forEach((row, i) => {
      expect(p.x[i]).to.be.closeTo(features[2 * row], 1e-4);
      expect(p.y[i]).to.be.closeTo(features[2 * row + 1], 1e-4);
      expect(p.label[i]).to.equal(dataset.labels[row]);
    });
    expect(p.bounds.x[0]).to.be.below(Math.min(...p.x));
    expect(p.bounds.y[1]).to.be.above(Math.max(...p.y));
  });
});
