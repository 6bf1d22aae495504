// A sweep in the Compare view, without a page: reading swept keys back from records, grouping by
// them, the sweep's runs and header, the best configuration by a chosen metric, the parallel-
// coordinates input, the sweep route, and the sweep's part of comparison.zip (read back with JSZip).
// Means and standard deviations are worked out by hand from the fixture's numbers.
import { expect } from '@esm-bundle/chai';
import JSZip from 'jszip';
import { parseRoute, sweepHash } from '../../src/app/app-route';
import { comparisonSummary, comparisonSummaryTxt } from '../../src/compare/comparison-summary';
import { buildComparisonZip } from '../../src/compare/comparison-zip';
import { figureInput } from '../../src/compare/figure-input';
import { groupRuns, type GroupBy } from '../../src/compare/groups';
import { groupsLatex } from '../../src/compare/comparison-latex';
import { bestGroup, definitionText, SWEEP_METRICS, SweepCompareError, sweepInfo, sweepRunIds, sweepSummary, sweepSummaryLines } from '../../src/compare/sweep-compare';
import { sweepValue, varyingSweepKeys } from '../../src/compare/sweep-keys';
import { sweepFigureInput } from '../../src/compare/sweep-parallel';
import { sweepRecords } from '../fixtures/compare-sweep';
import { GRID, GRID_ID, gridSweep, randomSweep } from '../fixtures/compare-sweep-record';
import { compareRecord, imported } from '../fixtures/compare-records';

const BY: GroupBy = { kind: 'keys', keys: ['lr', 'hidden'] };
const close = (a: number | null | undefined, b: number, tol = 1e-9) => expect(a, `≈ ${b}`).to.be.a('number').and.closeTo(b, tol);

describe('sweep keys: a run read back as the Lab address writes it', () => {
  it('reads lr, hidden, optimizer, planned epochs and the split seed from the record', () => {
    const { runs } = gridSweep();
    const r = runs[2];
    expect(sweepValue(r, 'lr')).to.equal('0.001');
    expect(sweepValue(r, 'hidden')).to.equal('8');
    expect(sweepValue(runs[0], 'hidden')).to.equal('16,16');
    expect(sweepValue(r, 'optimizer')).to.equal(r.config.optimizer);
    expect(sweepValue(r, 'sseed')).to.equal('7');
    const planned = compareRecord({ id: 'p', history: 3, planned: 8 });
    expect(sweepValue(planned, 'epochs')).to.equal('8'); // planned, not the 3 done
  });

  it('a key the record has no field for comes from the address it was trained from; none gives null', () => {
    const r = compareRecord({ id: 'q', urlQuery: 'model=mlp&lr=0.01&futurekey=abc' });
    expect(sweepValue(r, 'futurekey')).to.equal('abc');
    expect(sweepValue(r, 'nothere')).to.equal(null);
    const other = compareRecord({ id: 'i', lr: null, origin: imported('other.zip') });
    expect(sweepValue(other, 'lr')).to.equal(null);
  });

  it('the keys that vary between runs, seeds left out', () => {
    expect(varyingSweepKeys(gridSweep().runs)).to.deep.equal(['lr', 'hidden']);
  });
});

describe('grouping by the swept keys', () => {
  it('a 2 × 2 sweep with 2 repeats gives 4 groups of 2, in the sweep order, with mean ± std by hand', () => {
    const groups = groupRuns(gridSweep().runs, BY);
    expect(groups.map((g) => g.runs.length)).to.deep.equal([2, 2, 2, 2]);
    expect(groups.map((g) => g.label)).to.deep.equal(GRID.map((c) => `lr = ${c.lr}, hidden = ${c.hidden}`));
    close(groups[0].stats.test_acc!.mean, 81);
    close(groups[0].stats.test_acc!.std!, Math.SQRT2); // (80, 82): (1 + 1) / 1
    close(groups[1].stats.test_acc!.mean, 72);
    close(groups[1].stats.test_acc!.std!, 2 * Math.SQRT2); // (70, 74): (4 + 4) / 1
    close(groups[3].stats.best_val_acc!.mean, 94);
    expect(groups[2].stats.best_val_acc!.std).to.equal(0);
  });

  it('the same runs in another order still give the same groups (by value, not by position)', () => {
    const groups = groupRuns([...gridSweep().runs].reverse(), BY);
    expect(groups.map((g) => g.label)).to.deep.equal([...GRID].reverse().map((c) => `lr = ${c.lr}, hidden = ${c.hidden}`));
    expect(groups.every((g) => g.runs.length === 2)).to.equal(true);
  });

  it('the 200-run sweep without a record: swept keys read from the runs, 40 configurations of 5 seeds', () => {
    const runs = sweepRecords(200).map((r) => ({ ...r, sweep_id: 'sweep_big' }));
    const info = sweepInfo('sweep_big', null, runs);
    expect(info.swept_keys).to.deep.equal(['lr', 'batch', 'epochs']);
    expect(info.status).to.equal(null);
    const groups = groupRuns(runs, { kind: 'keys', keys: info.swept_keys });
    expect(groups).to.have.length(40);
    expect(groups.every((g) => g.runs.length === 5)).to.equal(true);
    expect(new Set(groups.map((g) => g.label)).size).to.equal(40);
  });
});

describe("a sweep's runs and header", () => {
  it("its record's runs in training order, then stored runs that name it but the record does not list", () => {
    const { record, runs } = gridSweep(6);
    const stray = { ...compareRecord({ id: 'late_run', startTime: '2026-12-01T13:00:00.000+01:00' }), sweep_id: GRID_ID };
    const other = { ...compareRecord({ id: 'other' }), sweep_id: 'sweep_other' };
    const ids = sweepRunIds(GRID_ID, { ...record, runs: [...record.runs].reverse() }, [other, stray, ...runs]);
    expect(ids).to.deep.equal([...runs.map((r) => r.run_id), 'late_run']);
    expect(sweepRunIds(GRID_ID, null, [other, ...runs, stray])).to.deep.equal([...runs.map((r) => r.run_id), 'late_run']);
  });

  it('a record of another sweep is refused by name', () => {
    const { record, runs } = gridSweep();
    expect(() => sweepRunIds('sweep_x', record, runs)).to.throw(SweepCompareError, /sweep_20261201_120000 is not sweep sweep_x/);
    expect(() => sweepInfo('sweep_x', record, runs)).to.throw(SweepCompareError);
  });

  it('the header from the record: status, runs done of planned, definition in words', () => {
    const { record, runs } = gridSweep(5);
    const info = sweepInfo(GRID_ID, record, runs);
    expect([info.name, info.status, info.runs_done, info.runs_planned]).to.deep.equal(['lr × hidden', 'running', 5, 8]);
    expect(info.swept_keys).to.deep.equal(['lr', 'hidden']);
    expect(definitionText(info)).to.equal('grid of lr ∈ {0.001; 0.01}, hidden ∈ {16,16; 8}; 2 seeds each; split seed 7');
    expect(info.record).to.equal(record);
    const failed = { ...record, runs: record.runs.map((r) => (r.index === 5 ? { ...r, status: 'failed' as const, reason: 'diverged' } : r)) };
    expect([sweepInfo(GRID_ID, failed, runs).runs_done, sweepInfo(GRID_ID, failed, runs).runs_failed]).to.deep.equal([5, 1]);
  });
});

describe('the best configuration', () => {
  const groups = groupRuns(gridSweep().runs, BY);

  it('by mean best validation accuracy: lr = 0.01, hidden = 8 (94); by mean test accuracy: lr = 0.01, hidden = 16,16 (90.5)', () => {
    expect(bestGroup(groups, 'best_val_acc')!.label).to.equal('lr = 0.01, hidden = 8');
    expect(bestGroup(groups, 'test_acc')!.label).to.equal('lr = 0.01, hidden = 16,16');
  });

  it('a metric where lower is better picks the lowest mean; a tie goes to the group with more runs', () => {
    const runs = gridSweep().runs.map((r, i) => ({ ...r, test: { ...r.test!, test_loss: [0.5, 0.7, 0.4, 0.4, 0.3, 0.3, 0.6, 0.6][i] } }));
    expect(bestGroup(groupRuns(runs, BY), 'test_loss')!.label).to.equal('lr = 0.01, hidden = 16,16');
    // (0.001, 8) down to one run of 0.3: a tie at 0.3 with (0.01, 16,16), whose 2 runs win over the 1 listed first.
    const tie = groupRuns(runs.map((r, i) => (i === 2 ? { ...r, test: { ...r.test!, test_loss: 0.3 } } : r)).filter((_, i) => i !== 3), BY);
    expect(tie[1].stats.test_loss!.n).to.equal(1);
    expect(bestGroup(tie, 'test_loss')!.label).to.equal('lr = 0.01, hidden = 16,16');
  });

  it('only metrics with a better direction are offered; none with a value gives null', () => {
    expect(SWEEP_METRICS).to.include.members(['test_acc', 'best_val_acc', 'test_loss', 'macro_f1']);
    expect(SWEEP_METRICS).not.to.include('duration');
    const untested = groupRuns(gridSweep().runs.map((r) => ({ ...r, test: null })), BY);
    expect(bestGroup(untested, 'test_acc')).to.equal(null);
  });
});

describe('the parallel-coordinates input', () => {
  it('one axis per swept key (numbers by value, categories in the sweep order), one line per configuration, the best marked', () => {
    const { record, runs } = gridSweep();
    const info = sweepInfo(GRID_ID, record, runs);
    const input = sweepFigureInput(info, groupRuns(runs, BY), 'best_val_acc');
    expect(input.axes).to.deep.equal([
      { key: 'lr', title: 'Learning rate (lr)', numeric: true, order: ['0.001', '0.01'] },
      { key: 'hidden', title: 'Hidden units (hidden)', numeric: false, order: ['16,16', '8'] },
    ]);
    expect(input.lines.map((l) => l.values)).to.deep.equal(GRID.map((c) => [c.lr, c.hidden]));
    expect(input.lines.map((l) => l.metric)).to.deep.equal([84, 76, 92, 94]);
    expect(input.lines.map((l) => l.best)).to.deep.equal([false, false, false, true]);
    expect(input.metric).to.deep.equal({ key: 'best_val_acc', title: 'Best val. acc. (%)', better: 'higher', digits: 2 });
    const loss = sweepFigureInput(info, groupRuns(runs, BY), 'test_loss').metric;
    expect([loss.better, loss.digits]).to.deep.equal(['lower', 4]);
  });

  it('without a record, categories fall in natural order', () => {
    const { runs } = gridSweep();
    const info = sweepInfo(GRID_ID, null, runs);
    expect(sweepFigureInput(info, groupRuns(runs, BY), 'test_acc').axes[1].order).to.deep.equal(['8', '16,16']);
  });
});

describe('the sweep route', () => {
  it('#sweep/{id} is Compare on a sweep; its hash round-trips an id with odd characters', () => {
    expect(parseRoute('#sweep/sweep_20261201_120000')).to.deep.equal({ view: 'compare', ids: [], sweepId: 'sweep_20261201_120000' });
    const odd = 'sweep 1,2/ü';
    expect(parseRoute(sweepHash(odd))).to.deep.equal({ view: 'compare', ids: [], sweepId: odd });
    expect(parseRoute('#sweep/')).to.deep.equal({ view: 'lab' });
    expect(parseRoute('#compare/a,b')).to.deep.equal({ view: 'compare', ids: ['a', 'b'] });
  });
});

describe("the sweep's part of comparison.zip", () => {
  const NOW = new Date(2026, 11, 1, 13, 0, 0);
  const root = 'comparison_20261201_130000';

  async function build(withRecord: boolean) {
    const { record, runs } = gridSweep();
    const info = sweepInfo(GRID_ID, withRecord ? record : null, runs);
    const groups = groupRuns(runs, BY);
    const sweep = sweepSummary(info, groups, 'best_val_acc');
    const summary = comparisonSummary(runs, groups, BY, null, [], sweep);
    const figures = figureInput(runs, groups, { grouped: true, showTrain: false, smoothing: 0, sweep: sweepFigureInput(info, groups, 'best_val_acc') });
    const blob = await buildComparisonZip({ records: runs, groups, latex: groupsLatex(groups, { columns: ['model', 'test_acc'], precision: 2 }), summary, figures, now: NOW, sweep: withRecord ? record : null });
    const zip = await JSZip.loadAsync(new Uint8Array(await blob.arrayBuffer()));
    return { record, summary, zip, text: (name: string) => zip.file(`${root}/${name}`)!.async('string') };
  }

  it('sweep.json is the record as is; the parallel-coordinates figure is there as PNG and PDF; README and SUMMARY say what was swept and which configuration won', async () => {
    const { record, summary, zip, text } = await build(true);
    expect(JSON.parse(await text('sweep.json'))).to.deep.equal(record);
    for (const f of ['parallel_coordinates.png', 'parallel_coordinates.pdf']) expect(zip.file(`${root}/${f}`), f).to.not.equal(null);
    const png = await zip.file(`${root}/parallel_coordinates.png`)!.async('uint8array');
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).to.equal('PNG');
    const readme = await text('README.txt');
    expect(readme).to.include('sweep.json').and.include('parallel_coordinates.pdf');
    expect(readme).to.include('Swept keys: lr, hidden; 4 configurations, 8 runs compared');
    expect(readme).to.include('Best configuration by mean Best val. acc. (%) (higher is better, over 2 seeds): lr = 0.01, hidden = 8: 94.00 ± 1.41');
    const txt = await text('SUMMARY.txt');
    expect(txt).to.include('SWEEP').and.include('Sweep: lr × hidden (sweep_20261201_120000), completed; 8 of 8 runs done');
    const json = JSON.parse(await text('summary_statistics.json'));
    expect(json).to.deep.equal(summary);
    expect(json.sweep.best.values).to.deep.equal({ lr: '0.01', hidden: '8' });
    expect(json.sweep.best.run_ids).to.deep.equal(['mlp_20261201_120600', 'mlp_20261201_120700']);
    close(json.sweep.best.std, Math.SQRT2);
  });

  it('a sweep compared without its record: no sweep.json, the summary says the keys were read from the runs', async () => {
    const { zip, text } = await build(false);
    expect(zip.file(`${root}/sweep.json`)).to.equal(null);
    expect(zip.file(`${root}/parallel_coordinates.png`)).to.not.equal(null);
    expect(await text('README.txt')).to.include('read from the runs');
  });

  it('summary lines name the metric and "none" when nothing has a value', () => {
    const { runs } = gridSweep();
    const info = sweepInfo(GRID_ID, null, runs);
    const empty = sweepSummary(info, groupRuns(runs.map((r) => ({ ...r, test: null })), BY), 'test_acc');
    expect(sweepSummaryLines(empty).at(-1)).to.equal('Best configuration: none (no run has Test acc. (%))');
    expect(comparisonSummaryTxt(comparisonSummary(runs, [], { kind: 'none' }, null, []), 'now')).not.to.include('SWEEP');
  });

  it('a random sweep over 3 decades of learning rate: its lr axis is numeric over 1e-4 … 1e-1', () => {
    const runs = randomSweep(12);
    const info = sweepInfo('sweep_random', null, runs);
    expect(info.swept_keys).to.deep.equal(['lr', 'optimizer']);
    const input = sweepFigureInput(info, groupRuns(runs, { kind: 'keys', keys: info.swept_keys }), 'test_acc');
    expect(input.axes[0].order[0]).to.equal('0.0001');
    expect(input.axes[0].order.at(-1)).to.equal('0.1');
    expect(input.lines.findIndex((l) => l.best)).to.equal(11);
  });
});
