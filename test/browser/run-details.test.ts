// The run view's configuration, data and environment (issue 12, point 5): words a person reads, not
// JSON strings; lists as lists; imported runs say "not recorded"; names from the data stay text.
import { expect } from '@esm-bundle/chai';
import 'axe-core'; // a UMD script: it sets window.axe
import type { AxeResults, RunOptions } from 'axe-core';
import { importFiles } from '../../src/compare/import-runs';
import '../../src/components/tl-run-view';
import type { TlRunView } from '../../src/components/tl-run-view';
import type { TlRunDetails } from '../../src/components/tl-run-details';
import type { LabRunRecord, RunRecord } from '../../src/recorder/run-record';
import { fixedRun } from '../fixtures/export-fixtures';
import { HOSTILE_CLASSES, HOSTILE_DATASET, HOSTILE_FOLDER, HOSTILE_MODEL, hostileReferenceZip } from '../fixtures/hostile';
import { HOSTILE_COLUMNS, HOSTILE_FILE, hostileTableRun, ownTableRun } from '../fixtures/own-data-records';

declare global {
  interface Window {
    __hostile?: number;
  }
}

const axe = (window as unknown as { axe: { run(el: Element, o: RunOptions): Promise<AxeResults> } }).axe;
const WCAG = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } } as RunOptions;

const SKIPPED = [
  { name: 'webgpu', reason: 'a software adapter (SwiftShader), not a GPU' },
  { name: 'webgl', reason: 'software renderer; wasm is faster for an MLP' },
] as const;

function labRun(): LabRunRecord {
  const { record } = fixedRun();
  record.environment.backend = 'wasm';
  record.environment.backends_skipped = SKIPPED.map((s) => ({ ...s }));
  return record;
}

const mounted: Element[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

async function mountView(record: RunRecord): Promise<{ view: TlRunView; details: TlRunDetails }> {
  const view = document.createElement('tl-run-view');
  view.record = record;
  document.body.append(view);
  mounted.push(view);
  await view.updateComplete;
  const details = view.shadowRoot!.querySelector('tl-run-details');
  if (!details) throw new Error('the run view has no <tl-run-details>');
  await details.updateComplete;
  await new Promise((r) => setTimeout(r, 50)); // an <img onerror> from the data would have fired by now
  return { view, details };
}

/** The text a person reads in a row: the row header's `label` in the table named `table`. */
function cell(details: TlRunDetails, table: string, label: string): HTMLTableCellElement {
  const t = details.shadowRoot!.querySelector(`table[aria-label="${table}"]`);
  if (!t) throw new Error(`no table ${table}`);
  const row = [...t.querySelectorAll('tr')].find((tr) => tr.querySelector('th')?.textContent?.trim() === label);
  if (!row) throw new Error(`no row ${label} in ${table}`);
  return row.querySelector('td')!;
}
/** The text as laid out (cells and lines apart), in single spaces. */
const words = (el: Element | ShadowRoot) =>
  (el instanceof HTMLElement ? el.innerText : [...el.children].map((c) => (c as HTMLElement).innerText).join(' ')).replace(/\s+/g, ' ').trim();

describe('<tl-run-details> in the run view', () => {
  beforeEach(() => {
    window.__hostile = undefined;
  });
  afterEach(() => {
    expect(window.__hostile, 'a script or handler from the data ran').to.equal(undefined);
  });

  it('a lab run: schedule, early stopping and model in words, skipped backends as a list, no JSON', async () => {
    const { details } = await mountView(labRun());
    expect(words(cell(details, 'Training', 'Learning rate'))).to.equal('0.001 (schedule: step: × 0.5 every 10 epochs)');
    expect(words(cell(details, 'Training', 'Early stopping'))).to.equal('off');
    expect(words(cell(details, 'Model', 'Model'))).to.equal('MLP (hidden layers [16, 16], relu, dropout 0)');
    const items = [...cell(details, 'Environment', 'Skipped').querySelectorAll('ul > li')].map(words);
    expect(items).to.deep.equal(SKIPPED.map((s) => `${s.name}: ${s.reason}`));
    // The split's second line stays with it, the class counts sit under the data.
    expect(words(cell(details, 'Data', 'Split'))).to.equal('train 140 (70 %), validation 30 (15 %), test 30 (15 %) stratified by class, split seed 42, features standardized on the training split');
    expect(words(details.shadowRoot!.querySelector('table[aria-label="Class counts per split"] tfoot')!)).to.equal('total 140 30 30');
    const text = words(details.shadowRoot!);
    expect(text).not.to.match(/[{}]|"kind"|\[object /);
  });

  it('a run on an own table: the file, its columns and the class weights (a weight column)', async () => {
    const { record } = ownTableRun();
    const { details } = await mountView(record);
    expect(words(cell(details, 'Own data', 'Data file'))).to.match(/^"patients\.csv" \(/);
    expect(words(cell(details, 'Training', 'Loss'))).to.match(/^weighted cross-entropy with balanced class weights/);
    const head = [...details.shadowRoot!.querySelectorAll('table[aria-label="Class counts per split"] thead th')].map(words);
    expect(head).to.deep.equal(['class', 'train', 'validation', 'test', 'weight']);
    const firstRow = [...details.shadowRoot!.querySelectorAll('table[aria-label="Class counts per split"] tbody tr')][0];
    const d = record.dataset.class_distribution;
    expect(words(firstRow)).to.equal(`at risk ${d.train[0]} ${d.val[0]} ${d.test[0]} ${record.config.class_weight_values![0].toFixed(4)}`);
  });

  it('an imported reference run: what it has, "not recorded" for the rest, its other keys as key: value; hostile names as text', async () => {
    const result = await importFiles([{ name: 'runs.zip', path: '', blob: new Blob([hostileReferenceZip() as Uint8Array<ArrayBuffer>]) }], { now: new Date('2026-02-03T04:05:06Z') });
    const record = result.records.find((r) => r.run_id === HOSTILE_FOLDER)!;
    record.config.extra = { window_size: 0.8, split_mode: 'curated_patient_wise', train_records: '["100","101"]', note: '<img src=x onerror=window.__hostile=11>' };
    const { details } = await mountView(record);
    expect(words(cell(details, 'Model', 'Model'))).to.equal(`${HOSTILE_MODEL} (layers not recorded)`);
    expect(words(cell(details, 'Training', 'Optimizer'))).to.equal('not recorded');
    expect(words(cell(details, 'Training', 'Early stopping'))).to.equal('not recorded');
    expect(words(cell(details, 'Data', 'Input shape'))).to.equal('not recorded');
    expect(words(cell(details, 'Environment', 'Device'))).to.equal('not recorded');
    const other = [...cell(details, 'Training', 'Other settings').querySelectorAll('li')].map(words);
    expect(other).to.deep.equal(['window_size: 0.8', 'split_mode: curated_patient_wise', 'train_records: ["100","101"]', 'note: <img src=x onerror=window.__hostile=11>']);
    expect(words(cell(details, 'Data', 'Dataset'))).to.equal(`${HOSTILE_DATASET} (${HOSTILE_DATASET})`);
    expectNoElementsFromData(details);
  });

  it('hostile file, column and class names of an own table appear as text', async () => {
    const { record } = hostileTableRun();
    const { details } = await mountView(record);
    const text = details.shadowRoot!.textContent!;
    for (const s of [HOSTILE_FILE, ...HOSTILE_COLUMNS, ...HOSTILE_CLASSES]) expect(text, s).to.include(s);
    const classes = [...details.shadowRoot!.querySelectorAll('table[aria-label="Class counts per split"] tbody td:first-child')].map((td) => td.textContent);
    expect(classes).to.deep.equal(HOSTILE_CLASSES);
    expectNoElementsFromData(details);
  });

  for (const [name, make] of [['a lab run', () => labRun()], ['an own-table run', () => ownTableRun().record]] as const) {
    it(`axe-core finds no WCAG A/AA violation (${name})`, async () => {
      const { details } = await mountView(make());
      const result = await axe.run(details, WCAG);
      expect(result.violations.map((v) => `${v.id}: ${v.help}`)).to.deep.equal([]);
    });
  }
});

/** Only the elements the component draws: no <img>, <script>, <a>, <b> or handler from the data. */
function expectNoElementsFromData(details: TlRunDetails) {
  const tags = new Set([...details.shadowRoot!.querySelectorAll('*')].map((e) => e.localName));
  for (const t of tags) expect(['div', 'section', 'h3', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'ul', 'li'], `<${t}>`).to.include(t);
  for (const e of details.shadowRoot!.querySelectorAll('*')) for (const a of e.getAttributeNames()) expect(a, `${e.localName}[${a}]`).not.to.match(/^on/i);
}
