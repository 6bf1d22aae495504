// A sweep's comparison in a page: the Compare view given a 2 × 2 sweep with 2 repeats shows the
// sweep's header, groups its runs by the swept keys by default (4 groups of 2 with mean ± std), names
// the best configuration by the chosen metric, and draws the parallel-coordinates preview; and the
// shell's CompareSweepController finds a sweep's runs and reads its record again as its runs change.
// Expected numbers are worked out by hand from the fixture.
import { expect } from '@esm-bundle/chai';
import '../../src/components/tl-compare-view';
import type { TlCompareView } from '../../src/components/tl-compare-view';
import type { TlCompareGroups } from '../../src/components/tl-compare-groups';
import type { TlCompareSweep } from '../../src/components/tl-compare-sweep';
import { CompareSweepController, compareSweepEvent, type SweepSource } from '../../src/app/compare-sweep';
import { sweepInfo } from '../../src/compare/sweep-compare';
import type { SweepRecord } from '../../src/recorder/sweep-record';
import { GRID_ID, gridSweep } from '../fixtures/compare-sweep-record';
import { compareRecord } from '../fixtures/compare-records';
import { waitFor } from '../helpers/wait';

const mounted: Element[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

async function mountView(set: (v: TlCompareView) => void): Promise<TlCompareView> {
  const view = document.createElement('tl-compare-view');
  set(view);
  document.body.append(view);
  mounted.push(view);
  await view.updateComplete;
  return view;
}

const part = <T extends Element>(view: TlCompareView, selector: string) => waitFor(() => view.shadowRoot!.querySelector<T>(selector), selector, 10_000);
const rows = (groups: TlCompareGroups) => [...groups.shadowRoot!.querySelectorAll('table[aria-label="Groups"] tbody tr')];

describe('Compare this sweep: the view', () => {
  it('a 2 × 2 sweep with 2 repeats shows 4 groups of 2 with mean ± std, grouped by the swept keys by default', async () => {
    const { record, runs } = gridSweep();
    const view = await mountView((v) => {
      v.runs = runs;
      v.sweep = sweepInfo(GRID_ID, record, runs);
    });
    const groups = await part<TlCompareGroups>(view, 'tl-compare-groups');
    await groups.updateComplete;
    const select = groups.shadowRoot!.querySelector<HTMLSelectElement>('select[name=group-by]')!;
    expect(select.value).to.equal('keys');
    expect(select.selectedOptions[0].textContent).to.contain('the swept keys (lr, hidden)');
    const r = rows(groups);
    expect(r).to.have.length(4);
    // Each cell's own text (the range below it, in <small>, left out).
    const own = (td: Element) => [...td.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim();
    const cells = r.map((tr) => [...tr.querySelectorAll('td')].map(own));
    expect(cells.map((c) => c[1])).to.deep.equal(['2', '2', '2', '2']);
    // Test accuracy (first metric column): (80, 82), (70, 74), (90, 91), (85, 89).
    expect(cells.map((c) => c[2])).to.deep.equal(['81.00 ± 1.41', '72.00 ± 2.83', '90.50 ± 0.71', '87.00 ± 2.83']);
    expect(cells.map((c) => c[0])).to.deep.equal(['lr = 0.001, hidden = 16,16', 'lr = 0.001, hidden = 8', 'lr = 0.01, hidden = 16,16', 'lr = 0.01, hidden = 8']);
  });

  it('a sweep given after its runs (its record read later) regroups them by its swept keys', async () => {
    const { record, runs } = gridSweep();
    const view = await mountView((v) => (v.runs = runs));
    const groups = await part<TlCompareGroups>(view, 'tl-compare-groups');
    await groups.updateComplete;
    expect(groups.groupBy).to.deep.equal({ kind: 'all-but-seed' });
    view.sweep = sweepInfo(GRID_ID, record, runs);
    await view.updateComplete;
    await groups.updateComplete;
    expect(groups.groupBy).to.deep.equal({ kind: 'keys', keys: ['lr', 'hidden'] });
    expect(groups.groups.map((g) => g.label)).to.deep.equal(['lr = 0.001, hidden = 16,16', 'lr = 0.001, hidden = 8', 'lr = 0.01, hidden = 16,16', 'lr = 0.01, hidden = 8']);
  });

  it('the header: name, status, runs done, definition; the best configuration follows the chosen metric', async () => {
    const { record, runs } = gridSweep(6);
    const view = await mountView((v) => {
      v.runs = runs;
      v.sweep = sweepInfo(GRID_ID, record, runs);
    });
    const header = await part<TlCompareSweep>(view, 'tl-compare-sweep');
    await header.updateComplete;
    const text = header.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    for (const s of ['Sweep: lr × hidden', GRID_ID, 'running', '6 of 8 done', 'grid of lr ∈ {0.001; 0.01}, hidden ∈ {16,16; 8}; 2 seeds each; split seed 7']) expect(text, s).to.contain(s);
    const best = () => header.shadowRoot!.querySelector('output[aria-label="Best configuration"]')!.textContent!;
    // Only (0.01, 16,16) and earlier ran: by best validation accuracy (0.01, 16,16) 92 leads.
    expect(best()).to.equal('Best configuration: lr = 0.01, hidden = 16,16: 92.00 ± 0.00 (n = 2)');
    const metric = header.shadowRoot!.querySelector<HTMLSelectElement>('select[name=sweep-metric]')!;
    expect(metric.value).to.equal('best_val_acc');
    metric.value = 'test_loss';
    metric.dispatchEvent(new Event('change'));
    await view.updateComplete;
    await header.updateComplete;
    expect(header.metric).to.equal('test_loss');
    expect(best()).to.match(/^Best configuration: lr = .*: \d\.\d{4} ± \d\.\d{4} \(n = 2\)$/);
  });

  it('draws the parallel-coordinates preview first (slow); without a sweep there is none and the default grouping returns', async function () {
    this.timeout(120_000);
    const { record, runs } = gridSweep();
    const view = await mountView((v) => {
      v.runs = runs;
      v.sweep = sweepInfo(GRID_ID, record, runs);
    });
    const alts = () => [...view.shadowRoot!.querySelectorAll<HTMLImageElement>('section[aria-label="Plots"] figure img')].map((i) => i.alt);
    await waitFor(() => alts().length === 6, 'six previews', 90_000);
    expect(alts()[0]).to.equal('Sweep: parallel coordinates');
    view.sweep = null;
    await view.updateComplete;
    expect(view.shadowRoot!.querySelector('tl-compare-sweep')).to.equal(null);
    await waitFor(() => alts().length === 5, 'five previews', 90_000);
    expect(alts()).not.to.include('Sweep: parallel coordinates');
    const groups = view.shadowRoot!.querySelector<TlCompareGroups>('tl-compare-groups')!;
    await groups.updateComplete;
    expect(groups.shadowRoot!.querySelector<HTMLSelectElement>('select[name=group-by]')!.value).to.equal('all-but-seed');
  });
});

describe('Compare this sweep: the shell side', () => {
  /** A host that counts the updates it is asked for. */
  const host = () => ({ updates: 0, addController() {}, removeController() {}, requestUpdate() { this.updates++; }, updateComplete: Promise.resolve(true) });

  it("finds the sweep's runs by their sweep_id until its record is read, then in the record's order; reads it again when its runs change", async () => {
    const { record, runs } = gridSweep(6);
    const reads: string[] = [];
    let stored: SweepRecord | null = { ...record, runs: [...record.runs].reverse().map((r) => ({ ...r })) };
    const source: SweepSource = { get: async (id) => (reads.push(id), stored) };
    const h = host();
    const c = new CompareSweepController(h, async () => source);
    const other = { ...compareRecord({ id: 'other' }), sweep_id: 'sweep_other' };
    const shuffled = [other, ...[...runs].reverse()];
    const first = c.comparison(GRID_ID, shuffled);
    expect(first.ids).to.deep.equal(runs.map((r) => r.run_id)); // oldest first, by start time
    expect(first.info.status).to.equal(null);
    await waitFor(() => h.updates > 0, 'the record read');
    const second = c.comparison(GRID_ID, shuffled);
    expect(second.info.status).to.equal('running');
    expect(second.info.runs_done).to.equal(6);
    expect(second.ids).to.deep.equal(runs.map((r) => r.run_id));
    expect(c.comparison(GRID_ID, shuffled).info, 'the same header while nothing changed').to.equal(second.info);
    expect(reads).to.deep.equal([GRID_ID]);

    stored = gridSweep(8).record;
    const all = gridSweep(8).runs;
    c.comparison(GRID_ID, all);
    await waitFor(() => h.updates > 1, 'the record read again');
    const third = c.comparison(GRID_ID, all);
    expect(reads).to.deep.equal([GRID_ID, GRID_ID]);
    expect([third.info.status, third.info.runs_done, third.ids.length]).to.deep.equal(['completed', 8, 8]);
  });

  it('a store that fails says so; no store compares the runs that name the sweep', async () => {
    const { runs } = gridSweep();
    const h = host();
    const failing = new CompareSweepController(h, async () => ({ get: async () => { throw new Error('disk gone'); } }));
    failing.comparison(GRID_ID, runs);
    await waitFor(() => failing.message, 'the message');
    expect(failing.message).to.equal("The sweep's record could not be read: disk gone");
    const none = new CompareSweepController(host(), async () => null);
    const shown = none.comparison(GRID_ID, runs);
    expect(shown.ids).to.have.length(8);
    expect(shown.info.swept_keys).to.deep.equal(['lr', 'hidden']);
  });

  it('"Compare this sweep" is the compare-sweep event with the sweep id, bubbling out of shadow roots', () => {
    const e = compareSweepEvent(GRID_ID);
    expect([e.type, e.detail.sweepId, e.bubbles, e.composed]).to.deep.equal(['compare-sweep', GRID_ID, true, true]);
  });
});
