import { expect } from '@esm-bundle/chai';
import '../../src/components/tl-run-list';
import { WINDOW_ABOVE, type TlRunList } from '../../src/components/tl-run-list';
import type { RunRecord } from '../../src/recorder/run-record';
import { completedRecord } from '../helpers/run-fixtures';
import { waitFor } from '../helpers/wait';

const until = <T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 10000) => waitFor(probe, what, timeoutMs);

/** `n` runs a minute apart, newest first (run_0000 is the oldest). */
function many(n: number): RunRecord[] {
  const base = completedRecord();
  return Array.from({ length: n }, (_, i) => {
    const id = `run_${String(n - 1 - i).padStart(4, '0')}`;
    return { ...base, run_id: id, run_name: `run ${n - 1 - i}`, start_time: new Date(Date.UTC(2026, 0, 1) + (n - 1 - i) * 60_000).toISOString() };
  });
}

const mounted: Element[] = [];
async function mount(runs: RunRecord[]): Promise<TlRunList> {
  const list = document.createElement('tl-run-list');
  list.runs = runs;
  document.body.append(list);
  mounted.push(list);
  await list.updateComplete;
  return list;
}
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
  window.scrollTo(0, 0);
});

const rows = (list: TlRunList) => [...list.shadowRoot!.querySelectorAll<HTMLTableRowElement>('tbody tr')];
const row = (list: TlRunList, id: string) => list.shadowRoot!.querySelector<HTMLTableRowElement>(`tbody tr[data-run-id="${id}"]`);

describe('tl-run-list', () => {
  it('sorts by start time as instants, not as text with different UTC offsets', async () => {
    // The hour when clocks go back: 02:10+01:00 (01:10 UTC) comes after 02:30+02:00 (00:30 UTC).
    const before = { ...completedRecord(), run_id: 'mlp_before', run_name: 'before', start_time: '2026-10-25T02:30:00.000+02:00' };
    const after = { ...completedRecord(), run_id: 'mlp_after', run_name: 'after', start_time: '2026-10-25T02:10:00.000+01:00' };
    const list = await mount([before, after]);
    const ids = rows(list).map((tr) => tr.getAttribute('data-run-id'));
    expect(ids).to.deep.equal(['mlp_after', 'mlp_before']); // newest first
  });

  it('is a grid with a row count and row indices, every row in the page while the list is short', async () => {
    const list = await mount(many(WINDOW_ABOVE));
    const grid = list.shadowRoot!.querySelector('[role="grid"]')!;
    expect(grid.getAttribute('aria-label')).to.equal('Recorded runs');
    expect(grid.getAttribute('aria-rowcount')).to.equal(String(WINDOW_ABOVE + 1));
    expect(rows(list)).to.have.length(WINDOW_ABOVE);
    expect(rows(list).map((r) => r.getAttribute('aria-rowindex'))).to.deep.equal(Array.from({ length: WINDOW_ABOVE }, (_, i) => String(i + 2)));
    expect(grid.querySelectorAll('thead [role="columnheader"]')).to.have.length(10);
    expect(rows(list)[0].querySelectorAll('[role="gridcell"]')).to.have.length(10);
  });
});

describe('tl-run-list with 1,000 runs (virtualised)', () => {
  it('has only the rows near the viewport in the page; aria-rowcount and aria-rowindex say where they are', async () => {
    const list = await mount(many(1000));
    const grid = list.shadowRoot!.querySelector('[role="grid"]')!;
    expect(grid.getAttribute('aria-rowcount')).to.equal('1001');
    await until(() => row(list, 'run_0999'), 'the newest run');
    expect(row(list, 'run_0999')!.getAttribute('aria-rowindex')).to.equal('2');
    expect(rows(list).length).to.be.within(5, 100);
    window.scrollTo(0, document.documentElement.scrollHeight);
    const oldest = await until(() => row(list, 'run_0000'), 'the oldest run after scrolling to the end');
    expect(oldest.getAttribute('aria-rowindex')).to.equal('1001');
    expect(oldest.querySelector('button')!.textContent).to.equal('Open');
    expect(rows(list).length).to.be.within(5, 100);
    expect(row(list, 'run_0999')).to.equal(null);
  });

  it('below the fold (under an open run), its rows are skipped by layout and drawn once scrolled to', async () => {
    const above = document.createElement('div');
    above.style.height = '3000px';
    document.body.append(above);
    mounted.push(above);
    const list = await mount(many(1000));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const body = list.shadowRoot!.querySelector('tbody.window')!;
    expect(getComputedStyle(body).contentVisibility).to.equal('auto');
    expect(rows(list).length, 'a window of a few rows while off screen').to.be.at.most(40);
    window.scrollTo(0, 3000 + 200 * 34);
    const shown = await until(() => rows(list).find((r) => r.getBoundingClientRect().top >= 0 && r.getBoundingClientRect().bottom <= innerHeight), 'a row in the viewport');
    const index = Number(shown.getAttribute('aria-rowindex'));
    expect(index, 'a row about 200 rows down').to.be.within(150, 260);
    expect(shown.getBoundingClientRect().height).to.be.greaterThan(20);
  });

  it('a run ticked for Compare stays ticked after scrolling away and back', async () => {
    const list = await mount(many(1000));
    const box = (id: string) => row(list, id)?.querySelector<HTMLInputElement>('input[type=checkbox]');
    (await until(() => box('run_0998'), 'the second row')).click();
    window.scrollTo(0, document.documentElement.scrollHeight);
    await until(() => row(list, 'run_0000'), 'the end of the list');
    expect(row(list, 'run_0998')).to.equal(null);
    window.scrollTo(0, 0);
    expect((await until(() => box('run_0998'), 'the second row again')).checked).to.equal(true);
    const compare = [...list.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.startsWith('Compare selected'))!;
    expect(compare.textContent).to.equal('Compare selected (1)');
    const got = new Promise<string[]>((resolve) => list.addEventListener('runs-compare', (e) => resolve(e.detail), { once: true }));
    compare.click();
    expect(await got).to.deep.equal(['run_0998']);
  });

  it('sorts all runs, not only the rows shown', async () => {
    const list = await mount(many(1000));
    await until(() => row(list, 'run_0999'), 'the first rows');
    const header = [...list.shadowRoot!.querySelectorAll('th button')].find((b) => b.textContent!.startsWith('Started'))!;
    (header as HTMLButtonElement).click(); // newest first → oldest first
    const first = await until(() => row(list, 'run_0000'), 'the oldest run first');
    expect(first.getAttribute('aria-rowindex')).to.equal('2');
  });

  it('does not re-render while inactive (hidden) and catches up when shown again', async () => {
    const runs = many(1000);
    const list = await mount(runs);
    await until(() => row(list, 'run_0999'), 'the first rows');
    list.active = false;
    const renamed = { ...runs[0], run_name: 'renamed while hidden' };
    list.runs = [renamed, ...runs.slice(1)];
    await list.updateComplete;
    await new Promise((r) => requestAnimationFrame(r));
    expect(row(list, 'run_0999')!.textContent).to.not.contain('renamed while hidden');
    list.active = true;
    await until(() => row(list, 'run_0999')?.textContent?.includes('renamed while hidden'), 'the renamed run once shown');
  });

  it('Arrow Down and Up move to the same control of the next and previous row, across rows not yet drawn', async () => {
    const list = await mount(many(1000));
    const open = (id: string) => row(list, id)?.querySelector<HTMLButtonElement>('td.actions button');
    const rename = (id: string) => row(list, id)?.querySelectorAll<HTMLButtonElement>('td.actions button')[1];
    (await until(() => rename('run_0999'), 'the first row')).focus();
    const key = (k: string) => (list.shadowRoot!.activeElement as HTMLElement).dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, composed: true }));
    key('ArrowDown');
    expect(list.shadowRoot!.activeElement).to.equal(rename('run_0998'));
    key('ArrowUp');
    expect(list.shadowRoot!.activeElement).to.equal(rename('run_0999'));
    // To the last row: every step focuses the next row's Rename, scrolling it into view.
    open('run_0999')!.focus();
    for (let i = 0; i < 60; i++) {
      key('ArrowDown');
      await until(() => list.shadowRoot!.activeElement?.closest('tr')?.getAttribute('aria-rowindex') === String(i + 3), `row ${i + 3} focused`);
    }
    expect(list.shadowRoot!.activeElement).to.equal(open('run_0939'));
  });

  it('axe-core finds no WCAG A/AA violation in the virtualised grid', async () => {
    const w = window as unknown as { axe?: { run(el: Element, o: unknown): Promise<{ violations: { id: string; help: string }[] }> } };
    if (!w.axe) {
      await new Promise((resolve, reject) => {
        const s = Object.assign(document.createElement('script'), { src: '/node_modules/axe-core/axe.min.js', onload: resolve, onerror: reject });
        document.head.append(s);
      });
    }
    const list = await mount(many(300));
    await until(() => row(list, 'run_0299'), 'the first rows');
    const result = await w.axe!.run(list, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    expect(result.violations.map((v) => `${v.id}: ${v.help}`)).to.deep.equal([]);
  });
});
