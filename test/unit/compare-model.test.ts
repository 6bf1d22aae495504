// The comparison's model: table columns (text, sorting, best values, "Differences only"), groups
// (everything but the seed, one key, defaults, curves, warnings) and the statistics and figure input
// built on them. Expected numbers are computed here by hand from the fixtures' values.
import { expect } from '@esm-bundle/chai';
import { figureInput, unionClassNames } from '../../src/compare/figure-input';
import { comparabilityWarnings, defaultGroupBy, groupRuns, meanStdText, settingKeys, settingsOf, varyingKeys, type GroupBy } from '../../src/compare/groups';
import { bestCells, cellText, columnByKey, COMPARE_COLUMNS, compareCells, differingColumns, localTimeText, sourceText, type CellValue } from '../../src/compare/run-columns';
import type { RunRecord } from '../../src/recorder/run-record';
import { compareRecord, imported, seedSweep } from '../fixtures/compare-records';

const col = columnByKey;
const ids = (runs: readonly RunRecord[]) => runs.map((r) => r.run_id);
const close = (a: number | null | undefined, b: number, tol = 1e-9) => expect(a, `≈ ${b}`).to.be.a('number').and.closeTo(b, tol);
/** Sample standard deviation (n − 1), written out here. */
function sampleStd(xs: number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

describe('compare columns: cell text', () => {
  it('shows an empty cell, never 0, for every missing value', () => {
    const r = compareRecord({ id: 'mlp_missing', testAcc: null, params: null, formatted: '', duration: null, endTime: null, history: [], batch: null, lr: null, origin: imported('checkpoints.zip', 'mlp_missing') });
    for (const key of ['batch_size', 'learning_rate', 'test_acc', 'test_loss', 'macro_f1', 'weighted_f1', 'parameters', 'best_epoch', 'best_val_acc', 'final_train_acc', 'final_val_acc', 'final_train_loss', 'final_val_loss', 'duration', 'finished']) {
      expect(cellText(col(key), r), key).to.equal('');
      expect(col(key).value(r), key).to.equal(null);
    }
  });

  it('formats present values: percent to 2 decimals, counts with separators, epochs done / planned, local finish time', () => {
    const r = compareRecord({ id: 'mlp_present', testAcc: 82.3, params: 1234567, history: 5, planned: 20, endTime: '2026-11-26T19:20:00.123+01:00' });
    expect(cellText(col('test_acc'), r)).to.equal('82.30');
    expect(cellText(col('parameters'), r)).to.equal('1,234,567');
    expect(cellText(col('epochs'), r)).to.equal('5 / 20');
    expect(cellText(col('finished'), r)).to.equal('2026-11-26 19:20:00');
    expect(cellText(col('seed'), r)).to.equal('42');
    expect(cellText(col('learning_rate'), r)).to.equal('0.001');
    expect(cellText(col('source'), r)).to.equal('lab');
  });

  it('localTimeText keeps the recorded local time and drops the offset; sourceText names the file and folder', () => {
    expect(localTimeText('2026-11-26T19:20:00.123+01:00')).to.equal('2026-11-26 19:20:00');
    expect(localTimeText('2025-11-29T20:30:41.189421')).to.equal('2025-11-29 20:30:41');
    expect(localTimeText('2026-01-01T23:59:59-08:00')).to.equal('2026-01-01 23:59:59');
    expect(localTimeText(null)).to.equal(null);
    const r = compareRecord({ id: 'a', origin: imported('checkpoints.zip', 'simple_cnn_20251128_225939') });
    expect(sourceText(r)).to.equal('checkpoints.zip › simple_cnn_20251128_225939');
    expect(sourceText(compareRecord({ id: 'b', origin: imported('run.zip') }))).to.equal('run.zip');
  });
});

describe('compare columns: sorting', () => {
  const sorted = (values: CellValue[], descending: boolean) => [...values].sort((a, b) => compareCells(a, b, descending));

  it('sorts numbers by value with empty cells last, ascending and descending', () => {
    const values: CellValue[] = [3, null, 10, 1, null, 2.5];
    expect(sorted(values, false)).to.deep.equal([1, 2.5, 3, 10, null, null]);
    expect(sorted(values, true)).to.deep.equal([10, 3, 2.5, 1, null, null]);
  });

  it('sorts text naturally (run9 before run10) with empty cells last either way', () => {
    const values: CellValue[] = ['run10', null, 'run9', 'run1'];
    expect(sorted(values, false)).to.deep.equal(['run1', 'run9', 'run10', null]);
    expect(sorted(values, true)).to.deep.equal(['run10', 'run9', 'run1', null]);
  });
});

describe('compare columns: best values', () => {
  it("highlights the highest of a 'higher' metric and the lowest of a 'lower' one, every tie included", () => {
    const runs = [
      compareRecord({ id: 'a', testAcc: 90, testLoss: 0.3 }),
      compareRecord({ id: 'b', testAcc: 95, testLoss: 0.2 }),
      compareRecord({ id: 'c', testAcc: 95, testLoss: 0.4 }),
      compareRecord({ id: 'd', testAcc: null }),
    ];
    const best = bestCells(runs, [col('test_acc'), col('test_loss')]);
    expect([...best.keys()].sort()).to.deep.equal(['b', 'c']);
    expect([...best.get('b')!].sort()).to.deep.equal(['test_acc', 'test_loss']);
    expect([...best.get('c')!]).to.deep.equal(['test_acc']);
    expect(best.has('d')).to.equal(false);
  });

  it('highlights nothing in a column with a single value, nor in columns without a direction', () => {
    const runs = [compareRecord({ id: 'a', testAcc: 90 }), compareRecord({ id: 'b', testAcc: null, params: null, origin: imported('b.zip') })];
    const best = bestCells(runs, COMPARE_COLUMNS);
    for (const set of best.values()) {
      expect(set.has('test_acc')).to.equal(false);
      expect(set.has('parameters')).to.equal(false);
      expect(set.has('seed')).to.equal(false);
    }
  });
});

describe('compare columns: Differences only', () => {
  it('keeps the columns that differ between runs and hides those equal for every run', () => {
    const [a, b] = seedSweep();
    const keys = differingColumns([a, b], COMPARE_COLUMNS).map((c) => c.key);
    for (const k of ['run_name', 'seed', 'test_acc', 'finished', 'test_loss']) expect(keys, k).to.include(k);
    for (const k of ['model', 'dataset', 'parameters', 'batch_size', 'learning_rate', 'optimizer', 'schedule', 'device', 'source']) expect(keys, k).not.to.include(k);
    expect(differingColumns([a], COMPARE_COLUMNS)).to.deep.equal([]);
  });

  it('keeps a column whose shown cells differ even when its sort values are equal (epochs 5 / 5 vs 5 / 20)', () => {
    const early = compareRecord({ id: 'a', history: 5, planned: 20 });
    const full = compareRecord({ id: 'b', history: 5, planned: 5 });
    expect(cellText(col('epochs'), early)).not.to.equal(cellText(col('epochs'), full));
    expect(differingColumns([early, full], [col('epochs')]).map((c) => c.key)).to.deep.equal(['epochs']);
  });
});

describe('groups: settings', () => {
  it('never takes run ids, names, times, the lab address or the origin as settings', () => {
    const runs = seedSweep();
    const keys = settingKeys(runs);
    for (const k of ['run_id', 'run_name', 'start_time', 'end_time', 'updated_at', 'url_query', 'origin', 'save_freq']) expect(keys, k).not.to.include(k);
    for (const k of ['model', 'dataset', 'epochs', 'batch_size', 'learning_rate', 'optimizer', 'seed', 'dataset_sha256']) expect(keys, k).to.include(k);
    expect(varyingKeys(runs).sort()).to.deep.equal(['learning_rate', 'seed']);
    expect(settingsOf(runs[0])).to.include({ learning_rate: '0.001', seed: '1', batch_size: '64', model: 'mlp' });
  });

  it('groups runs that differ in id, name, times, address and origin (but not in settings) together', () => {
    const base = { seed: 7, testAcc: 80 };
    const runs = [
      compareRecord({ ...base, id: 'mlp_20260101_000000', name: 'first', startTime: '2026-01-01T00:00:00.000+01:00', endTime: '2026-01-01T00:10:00.000+01:00', urlQuery: 'a=1' }),
      compareRecord({ ...base, id: 'mlp_20260202_000000', name: 'second', startTime: '2026-02-02T00:00:00.000-05:00', endTime: '2026-02-02T01:00:00.000-05:00', urlQuery: 'b=2&seed=7', origin: imported('second.zip', 'mlp_20260202_000000') }),
    ];
    expect(groupRuns(runs, { kind: 'all-but-seed' }).map((g) => ids(g.runs))).to.deep.equal([ids(runs)]);
    expect(groupRuns(runs, { kind: 'key', key: 'seed' })).to.have.length(1);
    expect(varyingKeys(runs)).to.deep.equal([]);
  });
});

describe('groups: everything but the seed', () => {
  it('puts runs that differ only by seed together and runs with another learning rate apart', () => {
    const runs = seedSweep();
    const groups = groupRuns(runs, { kind: 'all-but-seed' });
    expect(groups.map((g) => ids(g.runs))).to.deep.equal([ids(runs.slice(0, 3)), ids(runs.slice(3))]);
    expect(groups.map((g) => g.label)).to.deep.equal(['learning_rate = 0.001', 'learning_rate = 0.01']);
    expect(new Set(groups.map((g) => g.id)).size).to.equal(2);
  });

  it('n, mean, sample std (n − 1), min and max of each metric, computed by hand', () => {
    const [g1, g2] = groupRuns(seedSweep(), { kind: 'all-but-seed' });
    const a = g1.stats.test_acc!;
    expect(a.n).to.equal(3);
    close(a.mean, (80 + 82.5 + 86) / 3);
    // deviations −2.8333…, −0.3333…, 3.1666…: squares sum 18.1666…, / (3 − 1) = 9.0833…, √ = 3.013856886670854
    close(a.std, 3.0138568866708537, 1e-12);
    expect(a.std).not.to.be.closeTo(Math.sqrt(18.166666666666668 / 3), 1e-6); // not the population std
    expect([a.min, a.max]).to.deep.equal([80, 86]);
    const b = g2.stats.test_acc!;
    close(b.mean, 90.625);
    close(b.std, 0.8838834764831844, 1e-12); // |91.25 − 90| / √2
    close(g1.stats.test_loss!.mean, (0.21 + 0.22 + 0.23) / 3);
    close(g1.stats.macro_f1!.std, sampleStd([0.71, 0.72, 0.73]));
    const vals = g1.runs.map((r) => r.training.best_val_accuracy!);
    close(g1.stats.best_val_acc!.mean, vals.reduce((x, y) => x + y, 0) / 3);
    close(g1.stats.best_val_acc!.std, sampleStd(vals));
  });

  it('a group of one run has no std, shown as —; a metric no run has is null', () => {
    const runs = [compareRecord({ id: 'a', seed: 1, testAcc: 80, lr: 0.1 }), compareRecord({ id: 'b', seed: 2, testAcc: null, lr: 0.2 })];
    const [g1, g2] = groupRuns(runs, { kind: 'all-but-seed' });
    expect(g1.stats.test_acc).to.deep.equal({ n: 1, mean: 80, std: null, min: 80, max: 80 });
    expect(meanStdText(g1.stats.test_acc, 2)).to.equal('80.00 ± —');
    expect(g2.stats.test_acc).to.equal(null);
    expect(meanStdText(g2.stats.test_acc, 2)).to.equal('');
    const [s1] = groupRuns(seedSweep(), { kind: 'all-but-seed' });
    expect(meanStdText(s1.stats.test_acc, 2)).to.equal('82.83 ± 3.01');
  });

  it('mean curves average, epoch by epoch, over the runs that reached it (early-stopped runs are shorter)', () => {
    const [g1] = groupRuns(seedSweep(), { kind: 'all-but-seed' });
    const [r1, r2, r3] = g1.runs; // 8, 5 and 8 epochs
    expect(g1.runs.map((r) => r.history.length)).to.deep.equal([8, 5, 8]);
    const curve = g1.curves.valAcc;
    expect(curve.map((p) => p.epoch)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(curve.map((p) => p.n)).to.deep.equal([3, 3, 3, 3, 3, 2, 2, 2]);
    const at = (r: RunRecord, e: number) => r.history[e - 1].val_acc;
    close(curve[2].mean, (at(r1, 3) + at(r2, 3) + at(r3, 3)) / 3);
    close(curve[2].std, sampleStd([at(r1, 3), at(r2, 3), at(r3, 3)]));
    close(curve[6].mean, (at(r1, 7) + at(r3, 7)) / 2); // r2 stopped after 5 epochs: not counted as 0
    const loss = g1.curves.trainLoss;
    close(loss[7].mean, (r1.history[7].train_loss + r3.history[7].train_loss) / 2);
  });
});

describe('groups: the default grouping and one key', () => {
  const run = (id: string, seed: number, lr: number) => compareRecord({ id, seed, lr });

  it('defaults to everything but the seed only when some runs differ only by their seed', () => {
    expect(defaultGroupBy(seedSweep())).to.deep.equal({ kind: 'all-but-seed' });
    expect(defaultGroupBy([run('a', 1, 0.1), run('b', 1, 0.2)])).to.deep.equal({ kind: 'none' }); // learning rate only
    expect(defaultGroupBy([run('a', 1, 0.1), run('b', 2, 0.2)])).to.deep.equal({ kind: 'none' }); // seed and learning rate
    expect(defaultGroupBy([run('a', 1, 0.1), run('b', 2, 0.1)])).to.deep.equal({ kind: 'all-but-seed' });
  });

  it('groups by one key, in the order the groups first appear; no grouping is one group per run', () => {
    const runs = seedSweep();
    const bySeed = groupRuns(runs, { kind: 'key', key: 'seed' });
    expect(bySeed.map((g) => g.label)).to.deep.equal(['seed = 1', 'seed = 2', 'seed = 3']);
    expect(bySeed.map((g) => ids(g.runs))).to.deep.equal([[runs[0], runs[3]], [runs[1], runs[4]], [runs[2]]].map(ids));
    const byLr = groupRuns(runs, { kind: 'key', key: 'learning_rate' });
    expect(byLr.map((g) => g.runs.length)).to.deep.equal([3, 2]);
    const none = groupRuns(runs, { kind: 'none' } as GroupBy);
    expect(none.map((g) => g.id)).to.deep.equal(ids(runs));
    expect(none.map((g) => g.label)).to.deep.equal(runs.map((r) => r.run_name));
  });
});

describe('groups: comparability warnings', () => {
  it('none for runs on the same data, classes and split', () => {
    expect(comparabilityWarnings(seedSweep())).to.deep.equal([]);
  });

  it('warns of a different dataset SHA-256, naming the runs', () => {
    const w = comparabilityWarnings([compareRecord({ id: 'a', name: 'run A' }), compareRecord({ id: 'b', name: 'run B', sha256: 'ff'.repeat(32) })]);
    expect(w).to.have.length(1);
    expect(w[0]).to.match(/different data/);
    expect(w[0]).to.include('run A').and.include('run B');
  });

  it('warns of different class sets and of different split sizes, each once', () => {
    const classes = comparabilityWarnings([compareRecord({ id: 'a' }), compareRecord({ id: 'b', classNames: ['x', 'y', 'z'] })]);
    expect(classes).to.have.length(1);
    expect(classes[0]).to.match(/class sets/);
    const split = comparabilityWarnings([compareRecord({ id: 'a' }), compareRecord({ id: 'b', split: [150, 25, 25] })]);
    expect(split).to.have.length(1);
    expect(split[0]).to.match(/splits have different sizes/);
    expect(split[0]).to.include('150');
  });
});

describe('figure input from runs and groups', () => {
  it('unionClassNames keeps every class in order of first appearance', () => {
    const runs = [compareRecord({ id: 'a', classNames: ['cat', 'dog'] }), compareRecord({ id: 'b', classNames: ['dog', 'bird', 'cat'] })];
    expect(unionClassNames(runs)).to.deep.equal(['cat', 'dog', 'bird']);
  });

  it('a run keeps its style index, label, test accuracy, parameters and its F1 per class of the union (null where it lacks the class)', () => {
    const a = compareRecord({ id: 'a', classNames: ['cat', 'dog'], testAcc: 70, params: 1000 });
    const b = compareRecord({ id: 'b', name: 'Run B', classNames: ['dog', 'bird', 'cat'], testAcc: null });
    const input = figureInput([a, b], [], { grouped: false, showTrain: false, smoothing: 0 });
    expect(input.classNames).to.deep.equal(['cat', 'dog', 'bird']);
    expect(input.entries.map((e) => [e.id, e.label, e.style, e.n, e.testAcc, e.parameters])).to.deep.equal([
      ['a', 'a', 0, 1, 70, 1000],
      ['b', 'Run B', 1, 1, null, b.model_parameters],
    ]);
    const f1 = a.test!.per_class_metrics!.per_class.f1;
    expect(input.entries[0].f1).to.deep.equal([f1[0], f1[1], null]);
    expect(input.entries[1].f1).to.equal(null); // no test block
    expect(input.entries[0].curves.valAcc.map((p) => p.mean)).to.deep.equal(a.history.map((h) => h.val_acc));
  });

  it('a group entry carries n, the mean test accuracy with its sample std, and the group curves', () => {
    const runs = seedSweep();
    const groups = groupRuns(runs, { kind: 'all-but-seed' });
    const input = figureInput(runs, groups, { grouped: true, showTrain: true, smoothing: 0 });
    expect(input.entries.map((e) => [e.label, e.n, e.style])).to.deep.equal([['learning_rate = 0.001 (n = 3)', 3, 0], ['learning_rate = 0.01 (n = 2)', 2, 1]]);
    close(input.entries[0].testAcc, 248.5 / 3);
    close(input.entries[0].testAccStd, 3.0138568866708537, 1e-12);
    expect(input.entries[0].curves.valAcc.map((p) => p.mean)).to.deep.equal(groups[0].curves.valAcc.map((p) => p.mean));
    expect(input.entries[0].parameters).to.equal(runs[0].model_parameters);
    expect(input.subtitle).to.include('5 runs in 2 groups');
  });
});
