// Hostile names in the page (issue 8): runs imported from a hostile zip, and a TrainLab record whose
// run name, tags and notes are markup, are shown by <tl-run-list> and <tl-compare-table> as text.
// The same runs with the markup defused (‹ › instead of < >) are the baseline: the hostile ones must
// render exactly as many elements of each kind, none of them an <img>, <script>, <a>, <svg> or <iframe>,
// and no handler may run (each sets window.__hostile).
import { expect } from '@esm-bundle/chai';
import { importFiles, type SourceFile } from '../../src/compare/import-runs';
import '../../src/components/tl-compare-table';
import '../../src/components/tl-run-list';
import type { RunRecord } from '../../src/recorder/run-record';
import { fixedRun } from '../fixtures/export-fixtures';
import { HOSTILE_CLASSES, HOSTILE_DATASET, HOSTILE_FOLDER, HOSTILE_MODEL, HOSTILE_ZIP_NAME, FORMULA_FOLDER, LATEX_MODEL, hostileReferenceZip } from '../fixtures/hostile';

declare global {
  interface Window {
    __hostile?: number;
  }
}

const RUN_NAME = '<script>window.__hostile=7</script><b>bold</b>';
const TAGS = ['<img src=x onerror=window.__hostile=8>', 'javascript:window.__hostile=9', '=HYPERLINK("http://evil.example")', '\\input{/etc/passwd}'];
const NOTES = '<a href="javascript:window.__hostile=10">notes</a>';
const LAB_DATASET = '<style>*{display:none}</style>';

const file = (name: string, bytes: Uint8Array | string): SourceFile => ({ name, path: '', blob: new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]) });

/** The hostile reference runs and a TrainLab record with hostile name, tags, notes and dataset, all through the importer. */
async function hostileRecords(): Promise<RunRecord[]> {
  const { record } = fixedRun();
  const lab = { ...record, run_name: RUN_NAME, tags: TAGS, notes: NOTES, dataset: { ...record.dataset, name: LAB_DATASET } };
  const result = await importFiles(
    [file(HOSTILE_ZIP_NAME, hostileReferenceZip()), { name: 'results_summary.json', path: `${record.run_id}/results_summary.json`, blob: new Blob([JSON.stringify(lab)]) }],
    { now: new Date('2026-02-03T04:05:06Z') },
  );
  expect(result.problems).to.deep.equal([]);
  expect(result.records).to.have.length(3);
  return result.records;
}

/** The same records with every < and > of every text replaced, so no markup could come from them. */
function defused(records: RunRecord[]): RunRecord[] {
  return JSON.parse(JSON.stringify(records), (_k, v: unknown) => (typeof v === 'string' ? v.replace(/</g, '‹').replace(/>/g, '›') : v)) as RunRecord[];
}

/** Every element under `root`, through nested shadow roots. */
function allElements(root: ParentNode): Element[] {
  const out: Element[] = [];
  for (const el of root.querySelectorAll('*')) {
    out.push(el);
    if (el.shadowRoot) out.push(...allElements(el.shadowRoot));
  }
  return out;
}
const tagCounts = (root: ParentNode) => {
  const counts: Record<string, number> = {};
  for (const el of allElements(root)) counts[el.localName] = (counts[el.localName] ?? 0) + 1;
  return counts;
};
/** The text a person reads, through nested shadow roots. */
function allText(root: ShadowRoot): string {
  return [root.textContent ?? '', ...allElements(root).map((el) => el.shadowRoot?.textContent ?? '')].join('\n');
}

async function mount<K extends 'tl-run-list' | 'tl-compare-table'>(tag: K, runs: RunRecord[]): Promise<HTMLElementTagNameMap[K]> {
  const el = document.createElement(tag);
  el.runs = runs;
  document.body.append(el);
  await el.updateComplete;
  await new Promise((r) => setTimeout(r, 50)); // an <img onerror> would have fired by now
  return el;
}

const ACTIVE = ['img', 'script', 'a', 'svg', 'iframe', 'object', 'embed', 'style', 'link', 'b'];

describe('hostile names in the page', () => {
  let records: RunRecord[];
  before(async () => {
    window.__hostile = undefined;
    records = await hostileRecords();
  });
  beforeEach(() => {
    window.__hostile = undefined;
  });
  afterEach(() => {
    expect(window.__hostile, 'a script or handler from the data ran').to.equal(undefined);
  });

  it('the importer keeps the names as they are', () => {
    const byId = new Map(records.map((r) => [r.run_id, r]));
    expect(byId.get(HOSTILE_FOLDER)!.model_name).to.equal(HOSTILE_MODEL);
    expect(byId.get(FORMULA_FOLDER)!.model_name).to.equal(LATEX_MODEL);
    expect(byId.get(HOSTILE_FOLDER)!.dataset.class_names).to.deep.equal(HOSTILE_CLASSES);
    expect(byId.get(HOSTILE_FOLDER)!.origin).to.include({ kind: 'imported', file: HOSTILE_ZIP_NAME });
    expect(byId.get(HOSTILE_FOLDER)!.config.dataset).to.equal(HOSTILE_DATASET);
    const lab = records.find((r) => r.run_name === RUN_NAME)!;
    expect([lab.tags, lab.notes, lab.dataset.name]).to.deep.equal([TAGS, NOTES, LAB_DATASET]);
  });

  for (const tag of ['tl-run-list', 'tl-compare-table'] as const) {
    it(`<${tag}> shows every hostile name as text and renders no element from the data`, async () => {
      const baseline = await mount(tag, defused(records));
      const expected = tagCounts(baseline.shadowRoot!);
      baseline.remove();
      const el = await mount(tag, records);
      try {
        const root = el.shadowRoot!;
        expect(tagCounts(root)).to.deep.equal(expected);
        for (const name of ACTIVE) expect(allElements(root).filter((e) => e.localName === name), `<${name}>`).to.have.length(expected[name] ?? 0);
        expect(allElements(root).filter((e) => e.localName === 'img' || e.localName === 'script' || e.localName === 'iframe')).to.have.length(0);
        for (const a of allElements(root).filter((e): e is HTMLAnchorElement => e.localName === 'a')) expect(a.href).to.not.match(/^javascript:/i);
        for (const e of allElements(root)) for (const attr of e.getAttributeNames()) expect(attr, `${e.localName}[${attr}]`).to.not.match(/^on/i);
        const text = allText(root);
        const shown = tag === 'tl-run-list'
          ? [RUN_NAME, ...TAGS, LAB_DATASET, HOSTILE_FOLDER, FORMULA_FOLDER, HOSTILE_ZIP_NAME, HOSTILE_DATASET]
          : [RUN_NAME, LAB_DATASET, HOSTILE_FOLDER, FORMULA_FOLDER, HOSTILE_MODEL, LATEX_MODEL, HOSTILE_ZIP_NAME, HOSTILE_DATASET];
        for (const s of shown) expect(text, s).to.include(s);
      } finally {
        el.remove();
      }
    });
  }
});
