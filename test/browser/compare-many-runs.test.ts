// The Compare view with hundreds of runs stays responsive: the table keeps only a window of its rows
// in the page (aria-rowcount and aria-rowindex say where they are), the view draws its sections one
// task apart, the groups table a slice at a time, and the plot previews are drawn in a worker.
// axe-core finds no violation in the windowed table.
import { expect } from '@esm-bundle/chai';
import '../../src/components/tl-compare-table';
import '../../src/components/tl-compare-groups';
import '../../src/components/tl-compare-view';
import { WINDOW_ABOVE, type TlCompareTable } from '../../src/components/tl-compare-table';
import { GROUP_ROWS_PER_TASK } from '../../src/components/tl-compare-groups';
import { PREVIEW_WIDTH_PX } from '../../src/export/figures/compare/index';
import { groupRuns, settingKeys, type GroupBy } from '../../src/compare/groups';
import type { RunRecord } from '../../src/recorder/run-record';
import { compareRecord } from '../fixtures/compare-records';
import { sweepRecords, sweepTestAcc } from '../fixtures/compare-sweep';
import { waitFor } from '../helpers/wait';

const mounted: Element[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

/** Adds the element to the page; does not wait for it to render. */
function attach<K extends 'tl-compare-table' | 'tl-compare-groups' | 'tl-compare-view'>(tag: K, set: (el: HTMLElementTagNameMap[K]) => void) {
  const el = document.createElement(tag);
  set(el);
  document.body.append(el);
  mounted.push(el);
  return el;
}

/** Waits (in microtasks only: no task runs meanwhile) for the element's first render. */
async function firstRender(el: { hasUpdated: boolean }) {
  for (let i = 0; i < 1000 && !el.hasUpdated; i++) await Promise.resolve();
  expect(el.hasUpdated, 'rendered once').to.equal(true);
}

interface Axe {
  run(context: Element, options: object): Promise<{ violations: { id: string; help: string }[] }>;
}

/** axe-core, as the accessibility e2e test runs it, loaded into the test page once. */
async function loadAxe(): Promise<Axe> {
  const page = window as unknown as { axe?: Axe };
  if (!page.axe) {
    await new Promise((resolve, reject) => {
      const script = Object.assign(document.createElement('script'), { src: '/node_modules/axe-core/axe.min.js', onload: resolve, onerror: reject });
      document.head.append(script);
    });
  }
  return page.axe!;
}

const RUNS = sweepRecords(200);
/** The run ids by test accuracy, best first (the table's first order). */
const BY_TEST_ACC = [...RUNS].sort((a, b) => b.test!.test_accuracy - a.test!.test_accuracy).map((r) => r.run_id);

const bodyRows = (table: TlCompareTable) => [...table.shadowRoot!.querySelectorAll<HTMLTableRowElement>('tbody tr[data-run-id]')];
const ids = (rows: HTMLTableRowElement[]) => rows.map((r) => r.dataset.runId);
const indexes = (rows: HTMLTableRowElement[]) => rows.map((r) => Number(r.getAttribute('aria-rowindex')));

describe('tl-compare-table with 200 runs', () => {
  it('keeps a window of rows in the page, with aria-rowcount 201 and each row its aria-rowindex in the sorted order', async () => {
    expect(sweepTestAcc(0), 'distinct accuracies').not.to.equal(sweepTestAcc(1));
    const table = attach('tl-compare-table', (t) => (t.runs = RUNS));
    await table.updateComplete;
    const root = table.shadowRoot!;
    expect(root.querySelector('table')!.getAttribute('aria-rowcount')).to.equal('201');
    expect(root.querySelector('thead tr')!.getAttribute('aria-rowindex')).to.equal('1');
    const rows = bodyRows(table);
    expect(rows.length, 'rows in the page').to.be.within(10, WINDOW_ABOVE);
    expect(ids(rows)).to.deep.equal(BY_TEST_ACC.slice(0, rows.length));
    expect(indexes(rows)).to.deep.equal(rows.map((_, i) => i + 2));
    // The rows not drawn are spacers hidden from assistive technology.
    for (const spacer of root.querySelectorAll('tbody tr:not([data-run-id])')) expect(spacer.getAttribute('aria-hidden')).to.equal('true');
  });

  it('draws the rows the box scrolls to (the last one at aria-rowindex 201) and its columns keep their widths', async () => {
    const table = attach('tl-compare-table', (t) => (t.runs = RUNS));
    await table.updateComplete;
    const root = table.shadowRoot!;
    const widths = () => [...root.querySelectorAll('thead th')].map((th) => Math.round(th.getBoundingClientRect().width));
    const before = widths();
    const box = root.querySelector<HTMLElement>('.scroll')!;
    box.scrollTop = box.scrollHeight;
    const last = await waitFor(() => root.querySelector<HTMLTableRowElement>('tbody tr[aria-rowindex="201"]'), 'the last row');
    expect(last.dataset.runId).to.equal(BY_TEST_ACC[199]);
    const rows = bodyRows(table);
    expect(rows.length).to.be.at.most(WINDOW_ABOVE);
    expect(ids(rows)).to.deep.equal(BY_TEST_ACC.slice(200 - rows.length));
    const inBox = box.getBoundingClientRect();
    expect(last.getBoundingClientRect().bottom, 'the last row is in the box').to.be.at.most(inBox.bottom + 1);
    expect(widths(), 'column widths while scrolling').to.deep.equal(before);
  });

  it('sorts all 200 runs, not only those drawn, and a row at the edge of the window brings the next in when focused (Tab walks every row)', async () => {
    const table = attach('tl-compare-table', (t) => (t.runs = RUNS));
    await table.updateComplete;
    const root = table.shadowRoot!;
    const runHeader = [...root.querySelectorAll('thead th button')].find((b) => b.textContent!.trim().startsWith('Run'))! as HTMLButtonElement;
    runHeader.click();
    await table.updateComplete;
    const byName = [...RUNS].sort((a, b) => a.run_name.localeCompare(b.run_name, undefined, { numeric: true })).map((r) => r.run_id);
    let rows = bodyRows(table);
    expect(ids(rows)).to.deep.equal(byName.slice(0, rows.length));
    expect(ids(rows.slice(0, 3))).to.deep.equal(['sweep_00000', 'sweep_00001', 'sweep_00002']); // natural order: run 0, 1, 2 … not 0, 1, 10
    const edge = rows.at(-1)!;
    const next = Number(edge.getAttribute('aria-rowindex')) + 1;
    edge.querySelector<HTMLButtonElement>('button')!.focus(); // as Tab reaches it: the box scrolls it into view
    await waitFor(() => root.querySelector(`tbody tr[aria-rowindex="${next}"]`), `row ${next}`);
    rows = bodyRows(table);
    expect(ids(rows)).to.deep.equal(byName.slice(indexes(rows)[0] - 2, indexes(rows)[0] - 2 + rows.length));
  });

  it('has no axe-core violation (WCAG 2.1 A/AA), scrolled or not', async () => {
    const axe = await loadAxe();
    const table = attach('tl-compare-table', (t) => (t.runs = RUNS));
    await table.updateComplete;
    const check = async (when: string) => {
      const result = await axe.run(table, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      expect(result.violations.map((v) => `${v.id}: ${v.help}`), when).to.deep.equal([]);
    };
    await check('at the top');
    const box = table.shadowRoot!.querySelector<HTMLElement>('.scroll')!;
    box.scrollTop = box.scrollHeight / 2;
    await waitFor(() => bodyRows(table)[0]?.getAttribute('aria-rowindex') !== '2', 'rows further down');
    await check('scrolled halfway');
  });

  it(`keeps every row in the page up to ${WINDOW_ABOVE} runs (no window, no aria-rowcount)`, async () => {
    const table = attach('tl-compare-table', (t) => (t.runs = RUNS.slice(0, WINDOW_ABOVE)));
    await table.updateComplete;
    expect(bodyRows(table)).to.have.length(WINDOW_ABOVE);
    expect(table.shadowRoot!.querySelector('table')!.hasAttribute('aria-rowcount')).to.equal(false);
    expect(table.shadowRoot!.querySelector('.scroll.windowed')).to.equal(null);
  });
});

describe('tl-compare-groups with 200 groups', () => {
  it(`draws ${GROUP_ROWS_PER_TASK} group rows in its first render and the rest in later tasks; updateComplete waits for them`, async () => {
    const runs: RunRecord[] = Array.from({ length: 200 }, (_, i) => compareRecord({ id: `mlp_lr${i}`, lr: (i + 1) / 10_000, seed: 1 }));
    const by: GroupBy = { kind: 'key', key: 'learning_rate' };
    const groups = attach('tl-compare-groups', (g) => {
      g.groups = groupRuns(runs, by);
      g.groupBy = by;
      g.keys = settingKeys(runs);
    });
    const rows = () => groups.shadowRoot!.querySelectorAll('table[aria-label="Groups"] > tbody > tr');
    await firstRender(groups);
    expect(rows()).to.have.length(GROUP_ROWS_PER_TASK);
    await groups.updateComplete;
    expect(rows()).to.have.length(200);
    expect(rows()[199].querySelector('td')!.textContent).to.contain('learning_rate = 0.02');
  });
});

describe('tl-compare-view with 200 runs', () => {
  it('draws the table first, then the groups, then the plots and exports, each in a task of its own', async () => {
    const view = attach('tl-compare-view', (v) => (v.runs = RUNS));
    await firstRender(view);
    const root = view.shadowRoot!;
    expect(root.querySelector('tl-compare-table'), 'the table, at once').to.exist;
    expect(root.querySelector('tl-compare-groups'), 'the groups, later').to.equal(null);
    expect(root.querySelector('section[aria-label="Plots"]'), 'the plots, later').to.equal(null);
    await view.updateComplete; // waits for every section
    expect(root.querySelector('tl-compare-groups')).to.exist;
    expect(root.querySelector('section[aria-label="Plots"]')).to.exist;
    expect(root.querySelector('section[aria-label="Export"] details pre')!.textContent).to.contain('learning\\_rate = 0.03, batch\\_size = 384');
    // The default grouping of a seed sweep: 40 settings of 5 seeds.
    const groups = root.querySelector('tl-compare-groups')!;
    await groups.updateComplete;
    expect(groups.shadowRoot!.querySelectorAll('table[aria-label="Groups"] > tbody > tr')).to.have.length(40);
  });
});

describe('plot previews', () => {
  it('are drawn in the compare-figures worker, never on the page, at most PREVIEW_WIDTH_PX wide (slow)', async function () {
    this.timeout(120_000);
    const page = globalThis as unknown as { OffscreenCanvas: unknown; Worker: typeof Worker };
    const [canvas, worker] = [page.OffscreenCanvas, page.Worker];
    const started: string[] = [];
    page.Worker = class extends worker {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        started.push(options?.name ?? '');
      }
    };
    // A figure drawn on the page would fail here (the worker has its own OffscreenCanvas).
    page.OffscreenCanvas = class {
      constructor() {
        throw new Error('a figure was drawn on the page');
      }
    };
    try {
      const runs = RUNS.slice(0, 12);
      const view = attach('tl-compare-view', (v) => (v.runs = runs));
      const plots = () => view.shadowRoot!.querySelector('section[aria-label="Plots"]');
      const images = await waitFor(() => {
        const failed = plots()?.querySelector('[role=status]')?.textContent ?? '';
        if (failed.includes('could not be drawn')) throw new Error(failed);
        const imgs = [...(plots()?.querySelectorAll<HTMLImageElement>('figure img') ?? [])];
        return imgs.length === 5 && imgs.every((i) => i.complete && i.naturalWidth > 0) && imgs;
      }, 'five previews', 90_000);
      expect(started).to.include('compare-figures');
      for (const img of images) expect(img.naturalWidth, img.alt).to.be.at.most(PREVIEW_WIDTH_PX);
    } finally {
      [page.OffscreenCanvas, page.Worker] = [canvas, worker];
    }
  });
});
