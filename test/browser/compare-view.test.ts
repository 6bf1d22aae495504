// The Compare view's components in a page: the table (sort, Differences only, hidden columns, best
// values, empty cells, remove), the groups (grouping, n and mean ± std, Welch's t-test), the view
// (adding files by drop and by picker, the report as text, warnings, default grouping, LaTeX
// options) and the run list's "Compare selected". Expected numbers are computed by hand (SciPy for
// the t-test), not by the code under test.
import { expect } from '@esm-bundle/chai';
import '../../src/components/tl-compare-table';
import '../../src/components/tl-compare-groups';
import '../../src/components/tl-compare-view';
import '../../src/components/tl-run-list';
import type { TlCompareTable } from '../../src/components/tl-compare-table';
import type { TlCompareGroups } from '../../src/components/tl-compare-groups';
import type { TlCompareView } from '../../src/components/tl-compare-view';
import type { TlRunList } from '../../src/components/tl-run-list';
import type { AddReport } from '../../src/app/compare-imports';
import type { SourceFile } from '../../src/compare/import-sources';
import type { TTestShown } from '../../src/compare/comparison-summary';
import { groupRuns, settingKeys, type GroupBy } from '../../src/compare/groups';
import type { RunRecord } from '../../src/recorder/run-record';
import { compareRecord, imported } from '../fixtures/compare-records';
import { waitFor } from '../helpers/wait';

const until = <T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 5000) => waitFor(probe, what, timeoutMs);

// The groups panel raises compare-ttest after each update that gets new groups or a new groupBy; a
// view that answers with a new groupBy every time updates forever in microtasks and hangs the page
// (the browser disconnects and no test reports; it can also start after a test has removed the view,
// when the view's plot previews finish). mount() guards every view: a capture listener on its shadow
// root (which sees the events of a detached view too) counts them per panel and, past a bound no
// settled page reaches, stops them before the view sees them, so such a loop ends and the view test
// "settles after showing a seed sweep" reports it; the other tests still check what they check.
const LOOP_BOUND = 50;
const tTestCounts = new WeakMap<EventTarget, number>();
const tTestEvents = (panel: EventTarget) => tTestCounts.get(panel) ?? 0;
const loopGuard = (e: Event) => {
  const panel = e.composedPath()[0];
  const n = tTestEvents(panel) + 1;
  tTestCounts.set(panel, n);
  if (n > LOOP_BOUND) e.stopPropagation();
};
const mounted: Element[] = [];
async function mount<K extends 'tl-compare-table' | 'tl-compare-groups' | 'tl-compare-view' | 'tl-run-list'>(tag: K, set: (el: HTMLElementTagNameMap[K]) => void) {
  const el = document.createElement(tag);
  set(el);
  document.body.append(el);
  if (tag === 'tl-compare-view') el.shadowRoot!.addEventListener('compare-ttest', loopGuard, { capture: true });
  mounted.push(el);
  await el.updateComplete;
  return el;
}

afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

const settle = () => new Promise((r) => setTimeout(r, 50));

const at = (minute: number) => `2026-11-26T19:${String(minute).padStart(2, '0')}:00.000+01:00`;

/** Three runs that differ only by seed (test accuracy 80, 82.5, 86) and `others` with learning rate 0.01. */
function seedRuns(others: { seed: number; testAcc: number }[]): RunRecord[] {
  const base = [
    { seed: 1, testAcc: 80 },
    { seed: 2, testAcc: 82.5 },
    { seed: 3, testAcc: 86 },
  ].map((v, i) => compareRecord({ id: `mlp_a${i + 1}`, name: `lr small seed ${v.seed}`, lr: 0.001, seed: v.seed, testAcc: v.testAcc, startTime: at(10 + i), endTime: at(11 + i) }));
  const rest = others.map((v, i) => compareRecord({ id: `mlp_b${i + 1}`, name: `lr large seed ${v.seed}`, lr: 0.01, seed: v.seed, testAcc: v.testAcc, startTime: at(20 + i), endTime: at(21 + i) }));
  return [...base, ...rest];
}

const rowIds = (root: ShadowRoot) => [...root.querySelectorAll('tbody tr')].map((tr) => tr.getAttribute('data-run-id'));
const headers = (table: TlCompareTable) => [...table.shadowRoot!.querySelectorAll('thead th')].map((th) => th.textContent!.replace(/[▲▼]/g, '').trim());
const header = (table: TlCompareTable, label: string) => {
  const th = [...table.shadowRoot!.querySelectorAll<HTMLTableCellElement>('thead th')].find((h) => h.textContent!.replace(/[▲▼]/g, '').trim() === label);
  if (!th) throw new Error(`no header ${label}: ${headers(table).join(' | ')}`);
  return th;
};
/** The cell of `label`'s column in the row of run `id`. */
const cell = (table: TlCompareTable, id: string, label: string) => {
  const index = [...table.shadowRoot!.querySelectorAll('thead th')].indexOf(header(table, label));
  const row = table.shadowRoot!.querySelector(`tbody tr[data-run-id="${id}"]`);
  if (!row) throw new Error(`no row ${id}`);
  return row.querySelectorAll('td')[index] as HTMLTableCellElement;
};

function nextEvent<T>(target: EventTarget, type: string, timeoutMs = 5000): Promise<CustomEvent<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} event within ${timeoutMs} ms`)), timeoutMs);
    target.addEventListener(type, (e) => {
      clearTimeout(timer);
      resolve(e as CustomEvent<T>);
    }, { once: true });
  });
}

function tick(box: HTMLInputElement, on: boolean) {
  if (box.checked !== on) box.click(); // a click toggles it and fires change, as a person's does
}

describe('tl-compare-table', () => {
  // Three runs, distinct seeds and test accuracies; batch size the same for all.
  const runs = () => [
    compareRecord({ id: 'mlp_r1', name: 'run one', seed: 3, testAcc: 85, testLoss: 0.4, startTime: at(10), endTime: at(11) }),
    compareRecord({ id: 'mlp_r2', name: 'run two', seed: 1, testAcc: 91.5, testLoss: 0.3, startTime: at(12), endTime: at(13) }),
    compareRecord({ id: 'mlp_r3', name: 'run three', seed: 2, testAcc: 78, testLoss: 0.5, startTime: at(14), endTime: at(15) }),
  ];

  it('shows one row per run, sorted by test accuracy at first, and sorts by a header it is given', async () => {
    const table = await mount('tl-compare-table', (t) => (t.runs = runs()));
    const root = table.shadowRoot!;
    expect(rowIds(root)).to.deep.equal(['mlp_r2', 'mlp_r1', 'mlp_r3']); // test accuracy, best first
    expect(header(table, 'Test acc. (%)').getAttribute('aria-sort')).to.equal('descending');

    header(table, 'Seed').querySelector('button')!.click();
    await table.updateComplete;
    expect(rowIds(root)).to.deep.equal(['mlp_r2', 'mlp_r3', 'mlp_r1']); // seed 1, 2, 3
    expect(header(table, 'Seed').getAttribute('aria-sort')).to.equal('ascending');
    expect(header(table, 'Test acc. (%)').getAttribute('aria-sort')).to.equal('none');

    header(table, 'Seed').querySelector('button')!.click();
    await table.updateComplete;
    expect(rowIds(root)).to.deep.equal(['mlp_r1', 'mlp_r3', 'mlp_r2']);
    expect(header(table, 'Seed').getAttribute('aria-sort')).to.equal('descending');

    header(table, 'Test loss').querySelector('button')!.click(); // lower is better: best first
    await table.updateComplete;
    expect(rowIds(root)).to.deep.equal(['mlp_r2', 'mlp_r1', 'mlp_r3']);
    expect(header(table, 'Test loss').getAttribute('aria-sort')).to.equal('ascending');
  });

  it('"Differences only" hides the columns equal for every run and keeps those that differ', async () => {
    const table = await mount('tl-compare-table', (t) => (t.runs = runs()));
    expect(headers(table)).to.include.members(['Batch size', 'Seed', 'Model', 'Run']);
    tick(table.shadowRoot!.querySelector<HTMLInputElement>('input[name=differences-only]')!, true);
    await table.updateComplete;
    const shown = headers(table);
    expect(shown).to.include.members(['Seed', 'Run', 'Test acc. (%)']);
    expect(shown).not.to.include('Batch size');
    expect(shown).not.to.include('Model');
    expect(table.shadowRoot!.textContent).to.contain('Hidden because equal for every run');
    tick(table.shadowRoot!.querySelector<HTMLInputElement>('input[name=differences-only]')!, false);
    await table.updateComplete;
    expect(headers(table)).to.include('Batch size');
  });

  it('hides a column whose box is unticked and shows it again', async () => {
    const table = await mount('tl-compare-table', (t) => (t.runs = runs()));
    const box = () => {
      const label = [...table.shadowRoot!.querySelectorAll('details label')].find((l) => l.textContent!.trim() === 'Batch size');
      return label!.querySelector('input')!;
    };
    expect(box().checked).to.equal(true);
    tick(box(), false);
    await table.updateComplete;
    expect(headers(table)).not.to.include('Batch size');
    expect(headers(table)).to.include('Seed');
    expect(table.shadowRoot!.querySelector('summary')!.textContent).to.match(/Columns \((\d+) of (\d+) shown\)/);
    tick(box(), true);
    await table.updateComplete;
    expect(headers(table)).to.include('Batch size');
  });

  it('puts the best test accuracy and the lowest test loss in bold in the right rows', async () => {
    const table = await mount('tl-compare-table', (t) => (t.runs = runs()));
    expect(cell(table, 'mlp_r2', 'Test acc. (%)').classList.contains('best')).to.equal(true);
    expect(cell(table, 'mlp_r2', 'Test acc. (%)').textContent!.trim()).to.equal('91.50');
    expect(cell(table, 'mlp_r1', 'Test acc. (%)').classList.contains('best')).to.equal(false);
    expect(cell(table, 'mlp_r3', 'Test acc. (%)').classList.contains('best')).to.equal(false);
    expect(cell(table, 'mlp_r2', 'Test loss').classList.contains('best')).to.equal(true);
    expect(getComputedStyle(cell(table, 'mlp_r2', 'Test acc. (%)')).fontWeight).to.equal('700');
    // A setting is never "best".
    expect(table.shadowRoot!.querySelectorAll('td.best').length).to.be.greaterThan(0);
    expect(cell(table, 'mlp_r2', 'Seed').classList.contains('best')).to.equal(false);
  });

  it('shows a missing value as an empty cell, not 0, and sorts it last', async () => {
    const noTest = compareRecord({ id: 'mlp_none', name: 'imported, no test', testAcc: null, lr: null, origin: imported('old.zip', 'run_x'), startTime: at(20), endTime: at(21) });
    const table = await mount('tl-compare-table', (t) => (t.runs = [noTest, ...runs()]));
    for (const label of ['Test acc. (%)', 'Test loss', 'Macro F1', 'Learning rate']) {
      expect(cell(table, 'mlp_none', label).textContent!.trim(), label).to.equal('');
    }
    expect(cell(table, 'mlp_r1', 'Learning rate').textContent!.trim()).to.equal('0.001');
    expect(cell(table, 'mlp_none', 'Source').textContent!.trim()).to.equal('old.zip › run_x');
    expect(rowIds(table.shadowRoot!).at(-1)).to.equal('mlp_none'); // descending: empty last
    header(table, 'Test acc. (%)').querySelector('button')!.click();
    await table.updateComplete;
    expect(header(table, 'Test acc. (%)').getAttribute('aria-sort')).to.equal('ascending');
    expect(rowIds(table.shadowRoot!)).to.deep.equal(['mlp_r3', 'mlp_r1', 'mlp_r2', 'mlp_none']); // ascending: still last
  });

  it('raises compare-remove with the run id when × is pressed', async () => {
    const table = await mount('tl-compare-table', (t) => (t.runs = runs()));
    const got = nextEvent<string>(document.body, 'compare-remove'); // bubbles and is composed
    const button = table.shadowRoot!.querySelector<HTMLButtonElement>('tr[data-run-id="mlp_r1"] button[aria-label]')!;
    expect(button.getAttribute('aria-label')).to.equal('Remove run one from the comparison');
    button.click();
    expect((await got).detail).to.equal('mlp_r1');
  });
});

describe('tl-compare-groups', () => {
  const mountGroups = (runs: RunRecord[], by: GroupBy) =>
    mount('tl-compare-groups', (g) => {
      g.groups = groupRuns(runs, by);
      g.groupBy = by;
      g.keys = settingKeys(runs);
    });
  const output = (g: TlCompareGroups) => g.shadowRoot!.querySelector('output[aria-label="t-test result"]');
  const groupRow = (g: TlCompareGroups, labelStart: string) => {
    const row = [...g.shadowRoot!.querySelectorAll('table[aria-label="Groups"] tbody tr')].find((tr) => tr.querySelector('td')!.textContent!.trim().startsWith(labelStart));
    if (!row) throw new Error(`no group ${labelStart}`);
    return [...row.querySelectorAll(':scope > td')].map((td) => td);
  };

  it('raises compare-group-by {kind: all-but-seed} when "everything but the seed" is chosen', async () => {
    const runs = seedRuns([{ seed: 1, testAcc: 90 }]);
    const groups = await mountGroups(runs, { kind: 'none' });
    expect(groups.shadowRoot!.querySelector('table[aria-label="Groups"]')).to.equal(null); // one row per run: no groups table
    const select = groups.shadowRoot!.querySelector<HTMLSelectElement>('select[name=group-by]')!;
    expect(select.value).to.equal('none');
    expect([...select.options].map((o) => o.value)).to.include.members(['none', 'all-but-seed', 'key:learning_rate', 'key:seed']);
    const got = nextEvent<GroupBy>(document.body, 'compare-group-by');
    select.value = 'all-but-seed';
    select.dispatchEvent(new Event('change'));
    expect((await got).detail).to.deep.equal({ kind: 'all-but-seed' });
    const byKey = nextEvent<GroupBy>(document.body, 'compare-group-by');
    select.value = 'key:learning_rate';
    select.dispatchEvent(new Event('change'));
    expect((await byKey).detail).to.deep.equal({ kind: 'key', key: 'learning_rate' });
  });

  it('shows n = 3 and mean ± std (n − 1) of the seed group, "—" for a group of one, and why the t-test cannot run', async () => {
    const runs = seedRuns([{ seed: 1, testAcc: 90 }]);
    const groups = await mountGroups(runs, { kind: 'all-but-seed' });
    expect(groups.shadowRoot!.querySelector<HTMLSelectElement>('select[name=group-by]')!.value).to.equal('all-but-seed');
    const three = groupRow(groups, 'learning_rate = 0.001');
    expect(three[1].textContent!.trim()).to.equal('3');
    // Test accuracy 80, 82.5, 86: mean 82.8333, sample std sqrt(18.1667 / 2) = 3.0139.
    expect(three[2].textContent).to.contain('82.83 ± 3.01');
    expect(three[2].querySelector('small')!.textContent!.trim()).to.equal('80.00 – 86.00');
    const one = groupRow(groups, 'learning_rate = 0.01');
    expect(one[1].textContent!.trim()).to.equal('1');
    expect(one[2].textContent).to.contain('90.00 ± —');
    const out = output(groups)!;
    expect(out.textContent).to.contain('at least 2 runs in each group');
    expect(out.textContent).not.to.contain('NaN');
  });

  it("gives Welch's t, df and p of two groups (SciPy: t = -4.0692, df = 2.91, p = 0.02845) and raises them in compare-ttest", async () => {
    const runs = seedRuns([{ seed: 1, testAcc: 90 }, { seed: 2, testAcc: 92 }]);
    const by: GroupBy = { kind: 'all-but-seed' };
    const events: (TTestShown | null)[] = [];
    const listen = (e: CustomEvent<TTestShown | null>) => events.push(e.detail);
    document.body.addEventListener('compare-ttest', listen);
    try {
      const groups = await mountGroups(runs, by);
      // scipy.stats.ttest_ind([80, 82.5, 86], [90, 92], equal_var=False)
      const text = output(groups)!.textContent!;
      expect(text).to.contain('t = -4.0692');
      expect(text).to.contain('df = 2.91');
      expect(text).to.contain('p = 0.02845');
      expect(text).to.contain('n = 3');
      expect(text).to.contain('n = 2');
      const shown = await until(() => events.at(-1), 'a compare-ttest event');
      expect(shown.metric).to.equal('test_acc');
      expect(shown.groupA).to.equal('learning_rate = 0.001');
      expect(shown.groupB).to.equal('learning_rate = 0.01');
      expect(shown.result.t).to.be.closeTo(-4.069228512833261, 1e-9);
      expect(shown.result.df).to.be.closeTo(2.905410073930767, 1e-9);
      expect(shown.result.pValue).to.be.closeTo(0.02844828376167835, 1e-7);
      expect(shown.result.meanA).to.be.closeTo(82.83333333333333, 1e-9);
      expect(shown.result.meanB).to.equal(91);
      expect([shown.result.nA, shown.result.nB]).to.deep.equal([3, 2]);

      // Swapping the groups flips the sign of t; the event follows.
      const b = groups.shadowRoot!.querySelector<HTMLSelectElement>('select[name=ttest-b]')!;
      const a = groups.shadowRoot!.querySelector<HTMLSelectElement>('select[name=ttest-a]')!;
      a.value = '1';
      a.dispatchEvent(new Event('change'));
      b.value = '0';
      b.dispatchEvent(new Event('change'));
      await groups.updateComplete;
      expect(output(groups)!.textContent).to.contain('t = 4.0692');
      expect(events.at(-1)!.result.t).to.be.closeTo(4.069228512833261, 1e-9);
      expect(events.at(-1)!.groupA).to.equal('learning_rate = 0.01');

      // The same group on both sides: a message, and no numbers raised.
      b.value = '1';
      b.dispatchEvent(new Event('change'));
      await groups.updateComplete;
      expect(output(groups)!.textContent).to.contain('Pick two different groups');
      expect(events.at(-1)).to.equal(null);
    } finally {
      document.body.removeEventListener('compare-ttest', listen);
    }
  });

  it('raises compare-ttest with null when a group has a single run', async () => {
    const events: (TTestShown | null)[] = [];
    const listen = (e: CustomEvent<TTestShown | null>) => events.push(e.detail);
    document.body.addEventListener('compare-ttest', listen);
    try {
      await mountGroups(seedRuns([{ seed: 1, testAcc: 90 }]), { kind: 'all-but-seed' });
      await until(() => events.length > 0, 'a compare-ttest event');
      expect(events.at(-1)).to.equal(null);
    } finally {
      document.body.removeEventListener('compare-ttest', listen);
    }
  });
});

describe('tl-compare-view', () => {
  const sweep = () => seedRuns([{ seed: 1, testAcc: 90 }, { seed: 2, testAcc: 92 }]);

  it('settles after showing a seed sweep grouped by default (no endless update loop with the groups panel)', async () => {
    const view = await mount('tl-compare-view', (v) => (v.runs = sweep()));
    await settle();
    const groups = await until(() => view.shadowRoot!.querySelector('tl-compare-groups'), 'the groups panel');
    await groups.updateComplete;
    expect(tTestEvents(groups), 'compare-ttest events raised while the page showed 5 runs once').to.be.at.most(3);
    const earlier = tTestEvents(groups);
    await settle();
    expect(tTestEvents(groups) - earlier, 'compare-ttest events with nothing changing').to.equal(0);
  });

  const innerGroups = async (view: TlCompareView) => {
    const groups = await until(() => view.shadowRoot!.querySelector('tl-compare-groups'), 'the groups panel');
    await groups.updateComplete;
    return groups;
  };

  it('raises compare-add-files with {name, path, blob} for a file dropped on the drop zone', async () => {
    const view = await mount('tl-compare-view', () => {});
    const file = new File(['{"model_name": "x"}'], 'results_summary.json', { type: 'application/json' });
    const data = new DataTransfer();
    data.items.add(file);
    const got = nextEvent<SourceFile[]>(document.body, 'compare-add-files');
    const drop = view.shadowRoot!.querySelector('p.drop')!;
    const event = new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true });
    drop.dispatchEvent(event);
    expect(event.defaultPrevented, 'the browser must not open the file').to.equal(true);
    const files = (await got).detail;
    expect(files).to.have.length(1);
    expect(files[0].name).to.equal('results_summary.json');
    expect(files[0].path).to.equal('results_summary.json');
    expect(files[0].blob).to.be.instanceOf(Blob);
    expect(await files[0].blob.text()).to.equal('{"model_name": "x"}');
  });

  it('raises compare-add-files for files picked with Add runs', async () => {
    const view = await mount('tl-compare-view', () => {});
    const data = new DataTransfer();
    data.items.add(new File(['a'], 'one.zip', { type: 'application/zip' }));
    data.items.add(new File(['bb'], 'two.zip', { type: 'application/zip' }));
    const input = view.shadowRoot!.querySelector<HTMLInputElement>('input[name=add-runs]')!;
    expect(input.multiple).to.equal(true);
    input.files = data.files;
    const got = nextEvent<SourceFile[]>(document.body, 'compare-add-files');
    input.dispatchEvent(new Event('change'));
    const files = (await got).detail;
    expect(files.map((f) => [f.name, f.path, f.blob.size])).to.deep.equal([['one.zip', 'one.zip', 1], ['two.zip', 'two.zip', 2]]);
    expect(view.shadowRoot!.querySelector<HTMLInputElement>('input[name=add-folder]')!.webkitdirectory).to.equal(true);
  });

  it('lists what was added, what was already there and each problem as text, never as HTML', async () => {
    const [added, already] = sweep();
    const evil = '<img src=x onerror=alert(1)>.zip';
    const report: AddReport = {
      added: [added],
      already: [already],
      problems: [{ file: evil, path: '', reason: 'not a zip file' }, { file: 'runs.zip', path: 'bad_run', reason: '<b>damaged</b> results_summary.json' }],
      notes: [{ file: 'old.zip', path: 'run_1', text: 'accuracies read as fractions, shown in percent' }],
    };
    const view = await mount('tl-compare-view', (v) => (v.report = report));
    const list = view.shadowRoot!.querySelector('ul[aria-label="What was added"]')!;
    expect(list).to.exist;
    const lines = [...list.querySelectorAll('li')].map((li) => li.textContent!.trim());
    expect(lines).to.deep.equal([
      `Added 1 run: ${added.run_name}.`,
      `${already.run_name} is already there (same run, same end time): compared, not added twice.`,
      'old.zip › run_1: accuracies read as fractions, shown in percent',
      `${evil}: not a zip file`,
      'runs.zip › bad_run: <b>damaged</b> results_summary.json',
    ]);
    expect(list.querySelectorAll('li.problem')).to.have.length(2);
    expect(list.querySelector('img'), 'a file name became an element').to.equal(null);
    expect(list.querySelector('b'), 'a reason became an element').to.equal(null);
    expect(view.shadowRoot!.querySelector('img[src="x"]')).to.equal(null);
  });

  it('says so when the files held no run', async () => {
    const view = await mount('tl-compare-view', (v) => (v.report = { added: [], already: [], problems: [], notes: [] }));
    const line = view.shadowRoot!.querySelector('ul[aria-label="What was added"] li.problem');
    expect(line?.textContent?.trim()).to.equal('No run found in the files given.');
  });

  it('warns when the runs have different class sets, and not when they agree', async () => {
    const same = await mount('tl-compare-view', (v) => (v.runs = sweep()));
    expect(same.shadowRoot!.querySelector('[aria-label="Not comparable"]')).to.equal(null);
    const runs = [compareRecord({ id: 'mlp_abc', name: 'three classes' }), compareRecord({ id: 'mlp_xy', name: 'two classes', classNames: ['cat', 'dog'] })];
    const view = await mount('tl-compare-view', (v) => (v.runs = runs));
    const warning = view.shadowRoot!.querySelector('[aria-label="Not comparable"]');
    expect(warning).to.exist;
    expect(warning!.getAttribute('role')).to.equal('alert');
    expect(warning!.textContent).to.contain('different class sets');
    expect(warning!.textContent).to.contain('[cat, dog]: two classes');
  });

  it('groups a seed sweep by everything but the seed by default, and otherwise not at all', async () => {
    const view = await mount('tl-compare-view', (v) => (v.runs = sweep()));
    const groups = await innerGroups(view);
    expect(groups.shadowRoot!.querySelector<HTMLSelectElement>('select[name=group-by]')!.value).to.equal('all-but-seed');
    expect(groups.shadowRoot!.querySelectorAll('table[aria-label="Groups"] tbody tr')).to.have.length(2);

    const distinct = [compareRecord({ id: 'mlp_p', lr: 0.001 }), compareRecord({ id: 'mlp_q', lr: 0.01 })];
    const other = await mount('tl-compare-view', (v) => (v.runs = distinct));
    const none = await innerGroups(other);
    expect(none.shadowRoot!.querySelector<HTMLSelectElement>('select[name=group-by]')!.value).to.equal('none');

    // The person's choice wins over the default.
    const select = groups.shadowRoot!.querySelector<HTMLSelectElement>('select[name=group-by]')!;
    select.value = 'none';
    select.dispatchEvent(new Event('change'));
    await view.updateComplete;
    await groups.updateComplete;
    expect(groups.groupBy).to.deep.equal({ kind: 'none' });
    expect(groups.shadowRoot!.querySelector('table[aria-label="Groups"]')).to.equal(null);
  });

  const latexBoxes = (view: TlCompareView) => [...view.shadowRoot!.querySelectorAll<HTMLInputElement>('fieldset.latex-columns input[type=checkbox]')];
  const tex = (view: TlCompareView) => view.shadowRoot!.querySelector('section[aria-label="Export"] details pre')!.textContent!;
  const texHeader = (view: TlCompareView) => tex(view).split('\n').find((l) => l.includes('\\\\') && l.includes('Model')) ?? '';

  it('keeps at least one LaTeX column ticked when all are unticked', async () => {
    const runs = [compareRecord({ id: 'mlp_p', lr: 0.001, testAcc: 80.123456 }), compareRecord({ id: 'mlp_q', lr: 0.01, testAcc: 85.987654 })];
    const view = await mount('tl-compare-view', (v) => (v.runs = runs));
    const ticked = () => latexBoxes(view).filter((b) => b.checked);
    expect(ticked()).to.have.length(5); // the reference's five
    expect(tex(view)).to.contain('Test\\_Acc\\_\\%');
    for (const box of ticked()) {
      tick(box, false);
      await view.updateComplete;
    }
    // The last one cannot go: its box is ticked again and the table keeps that column.
    const left = ticked();
    expect(left, 'ticked boxes after unticking all').to.have.length(1);
    const label = left[0].parentElement!.textContent!.trim();
    expect(tex(view)).to.contain(label.replace(/_/g, '\\_').replace(/%/g, '\\%'));
  });

  it('keeps the LaTeX table valid after unticking every column (the state side)', async () => {
    const runs = [compareRecord({ id: 'mlp_p', lr: 0.001, testAcc: 80.123456 }), compareRecord({ id: 'mlp_q', lr: 0.01, testAcc: 85.987654 })];
    const view = await mount('tl-compare-view', (v) => (v.runs = runs));
    for (const box of latexBoxes(view).filter((b) => b.checked)) {
      tick(box, false);
      await view.updateComplete;
    }
    // The .tex still has a column (the last one unticked: Training_Time).
    expect(tex(view)).to.contain('Training\\_Time');
    expect(tex(view)).not.to.contain('Test\\_Acc');
  });

  it('writes the LaTeX numbers to the precision asked', async () => {
    const runs = [compareRecord({ id: 'mlp_p', lr: 0.001, testAcc: 80.123456 }), compareRecord({ id: 'mlp_q', lr: 0.01, testAcc: 85.987654 })];
    const view = await mount('tl-compare-view', (v) => (v.runs = runs));
    expect(texHeader(view)).to.contain('Model');
    expect(tex(view)).to.contain('80.12');
    expect(tex(view)).not.to.contain('80.1235');
    const input = view.shadowRoot!.querySelector<HTMLInputElement>('input[name=latex-precision]')!;
    expect(input.value).to.equal('2');
    input.value = '4';
    input.dispatchEvent(new Event('change'));
    await view.updateComplete;
    expect(tex(view)).to.contain('80.1235');
    expect(tex(view)).to.contain('85.9877');
    input.value = '0';
    input.dispatchEvent(new Event('change'));
    await view.updateComplete;
    expect(tex(view)).not.to.contain('80.1');
    expect(tex(view)).to.match(/\b80\b/);
    expect(tex(view)).to.match(/\b86\b/);
  });

  it('shows the precision it uses when given one out of range (0 to 6)', async () => {
    const runs = [compareRecord({ id: 'mlp_p', lr: 0.001, testAcc: 80.123456 }), compareRecord({ id: 'mlp_q', lr: 0.01, testAcc: 85.987654 })];
    const view = await mount('tl-compare-view', (v) => (v.runs = runs));
    const input = view.shadowRoot!.querySelector<HTMLInputElement>('input[name=latex-precision]')!;
    input.value = '9';
    input.dispatchEvent(new Event('change'));
    await view.updateComplete;
    expect(tex(view)).to.contain('80.123456'); // clamped to 6
    expect(input.value).to.equal('6');
    input.value = '12'; // clamps to 6 again: the page must not show 12 while writing 6 decimals
    input.dispatchEvent(new Event('change'));
    await view.updateComplete;
    expect(tex(view)).to.contain('80.123456');
    expect(input.value).to.equal('6');
  });

  it('draws the plot previews as images (slow)', async function () {
    this.timeout(120000);
    const view = await mount('tl-compare-view', (v) => (v.runs = sweep()));
    const images = await until(() => {
      const imgs = view.shadowRoot!.querySelectorAll<HTMLImageElement>('section[aria-label="Plots"] figure img');
      return imgs.length > 0 && [...imgs];
    }, 'the plot previews', 90000);
    for (const img of images) expect(img.alt, 'each preview has a text alternative').not.to.equal('');
    await until(() => images.every((i) => i.complete && i.naturalWidth > 0), 'the previews to decode', 30000);
  });
});

describe('tl-run-list, Compare selected', () => {
  const listRuns = () => {
    const runs = [
      compareRecord({ id: 'mlp_old', name: 'oldest', startTime: at(10), endTime: at(11) }),
      compareRecord({ id: 'mlp_mid', name: 'middle', startTime: at(12), endTime: at(13) }),
      compareRecord({ id: 'mlp_new', name: 'newest', startTime: at(14), endTime: at(15) }),
    ];
    runs[1].config.dataset = 'mnist';
    runs[1].dataset.name = 'MNIST 10k';
    return runs;
  };
  const box = (list: TlRunList, name: string) => list.shadowRoot!.querySelector<HTMLInputElement>(`input[aria-label="Select ${name} for Compare"]`)!;
  const compareButton = (list: TlRunList) => [...list.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim().startsWith('Compare selected'))!;

  it('raises runs-compare with the ids of the two ticked runs', async () => {
    const list = await mount('tl-run-list', (l) => (l.runs = listRuns()));
    expect(compareButton(list).disabled).to.equal(true);
    tick(box(list, 'oldest'), true);
    await list.updateComplete;
    tick(box(list, 'newest'), true);
    await list.updateComplete;
    expect(compareButton(list).textContent!.trim()).to.equal('Compare selected (2)');
    expect(compareButton(list).disabled).to.equal(false);
    const got = nextEvent<string[]>(document.body, 'runs-compare');
    compareButton(list).click();
    expect((await got).detail).to.deep.equal(['mlp_new', 'mlp_old']); // as listed: newest first
  });

  it('selects every run shown with the header box, and only those the dataset filter shows', async () => {
    const list = await mount('tl-run-list', (l) => (l.runs = listRuns()));
    const all = list.shadowRoot!.querySelector<HTMLInputElement>('input[aria-label="Select all 3 runs shown for Compare"]')!;
    expect(all).to.exist;
    tick(all, true);
    await list.updateComplete;
    expect(['oldest', 'middle', 'newest'].map((n) => box(list, n).checked)).to.deep.equal([true, true, true]);
    expect(compareButton(list).textContent!.trim()).to.equal('Compare selected (3)');
    tick(list.shadowRoot!.querySelector<HTMLInputElement>('input[aria-label="Select all 3 runs shown for Compare"]')!, false);
    await list.updateComplete;
    expect(compareButton(list).textContent!.trim()).to.equal('Compare selected (0)');

    const filter = list.shadowRoot!.querySelector<HTMLSelectElement>('select[name=filter-dataset]')!;
    filter.value = 'iris';
    filter.dispatchEvent(new Event('change'));
    await list.updateComplete;
    expect(list.shadowRoot!.querySelectorAll('tbody tr')).to.have.length(2);
    const shown = list.shadowRoot!.querySelector<HTMLInputElement>('input[aria-label="Select all 2 runs shown for Compare"]')!;
    expect(shown, 'the header box counts the runs shown').to.exist;
    tick(shown, true);
    await list.updateComplete;
    expect(compareButton(list).textContent!.trim()).to.equal('Compare selected (2)');
    const got = nextEvent<string[]>(document.body, 'runs-compare');
    compareButton(list).click();
    expect((await got).detail).to.deep.equal(['mlp_new', 'mlp_old']);

    filter.value = '';
    filter.dispatchEvent(new Event('change'));
    await list.updateComplete;
    expect(box(list, 'middle').checked, 'a run the filter hid is not selected').to.equal(false);
    const header = list.shadowRoot!.querySelector<HTMLInputElement>('input[aria-label="Select all 3 runs shown for Compare"]')!;
    expect(header.checked).to.equal(false);
    expect(header.indeterminate).to.equal(true);
  });
});
