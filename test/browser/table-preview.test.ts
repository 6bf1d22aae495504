import { expect } from '@esm-bundle/chai';
import 'axe-core'; // a UMD script: it sets window.axe
import type { AxeResults, RunOptions } from 'axe-core';
import '../../src/components/tl-table-preview';
import { PREVIEW_COLUMNS, PREVIEW_ROWS, type TlTablePreview } from '../../src/components/tl-table-preview';
import { PICKER_PAGE, withFeatures, withLabel, type TlColumnPicker } from '../../src/components/tl-column-picker';
import type { ColumnProfile, ParsedTable, TableChoice } from '../../src/training/datasets/table/table';

const axe = (window as unknown as { axe: { run(el: Element, o: RunOptions): Promise<AxeResults> } }).axe;
const WCAG = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } } as RunOptions;

// ---- fixtures, by hand (the reader and the profiler are tested on their own) ----

function tableOf(header: string[], rows: string[][], fileName = 'flowers.csv'): ParsedTable {
  return {
    header,
    columns: header.map((_, c) => rows.map((r) => r[c])),
    rowCount: rows.length,
    rowNumbers: Int32Array.from(rows, (_, i) => i + 2 + (i >= 5 ? 1 : 0)), // a blank line skipped after the 5th row
    skippedBlankRows: 1,
    source: { fileName, bytes: 1_234, sha256: 'ab'.repeat(32), encoding: 'utf-8', delimiter: ',', decimalComma: false, hasHeader: true },
  };
}

const profile = (index: number, name: string, type: ColumnProfile['type'], distinct: number, more: Partial<ColumnProfile> = {}): ColumnProfile => ({
  name, index, type, missing: 0, distinct, examples: [], labelCandidate: false, regressionLike: false, ...more,
});

const HEADER = ['id', 'sepal_length', 'sepal_width', 'petals', 'colour', 'notes', 'species'];
const SPECIES = ['setosa', 'versicolor', 'virginica'];
const ROWS = Array.from({ length: 25 }, (_, r) => [
  String(1000 + r), (4.3 + r * 0.1).toFixed(1), r === 5 ? 'abc' : (3 + (r % 7) * 0.1).toFixed(1), String(3 + (r % 3)), ['red', 'blue', 'white'][r % 3], '', SPECIES[r % 3],
]);
const PROFILES: ColumnProfile[] = [
  profile(0, 'id', 'numeric', 25, { regressionLike: true }),
  profile(1, 'sepal_length', 'numeric', 25),
  profile(2, 'sepal_width', 'numeric', 7, { notNumbers: { count: 4, first: [{ row: 8, value: 'abc' }, { row: 11, value: 'x1' }, { row: 14, value: '--' }] } }),
  profile(3, 'petals', 'numeric', 3),
  profile(4, 'colour', 'categorical', 3),
  profile(5, 'notes', 'empty', 0, { missing: 25 }),
  profile(6, 'species', 'categorical', 3, { labelCandidate: true }),
];
const CHOICE: TableChoice = {
  label: 'species', features: ['sepal_length', 'sepal_width', 'petals', 'colour'], categorical: ['colour'],
  scaling: 'standard', missing: 'drop', notNumbersAsMissing: false, maxCategories: 20,
};

/** A table of `n` numeric columns c0000… and a label, 20 rows. */
function wide(n: number) {
  const header = [...Array.from({ length: n }, (_, c) => `c${String(c).padStart(4, '0')}`), 'label'];
  const rows = Array.from({ length: 20 }, (_, r) => header.map((_, c) => (c === n ? `k${r % 2}` : String((r * 7 + c) % 13))));
  const profiles = header.map((name, c) => profile(c, name, c === n ? 'categorical' : 'numeric', c === n ? 2 : 13));
  const choice: TableChoice = { ...CHOICE, label: 'label', features: header.slice(0, n), categorical: [] };
  return { table: tableOf(header, rows, 'wide.csv'), profiles, choice };
}

// ---- helpers ----

const mounted: Element[] = [];
async function mount(props: Partial<Pick<TlTablePreview, 'table' | 'profiles' | 'choice' | 'readOptions' | 'problems'>> = {}) {
  const el = Object.assign(document.createElement('tl-table-preview'), { table: tableOf(HEADER, ROWS), profiles: PROFILES, choice: CHOICE, ...props });
  document.body.append(el);
  mounted.push(el);
  await el.updateComplete;
  await picker(el)?.updateComplete;
  return el;
}
afterEach(() => mounted.splice(0).forEach((el) => el.remove()));

const picker = (el: TlTablePreview) => el.shadowRoot!.querySelector<TlColumnPicker>('tl-column-picker');
const q = <T extends Element>(root: Element, sel: string) => root.shadowRoot!.querySelector<T>(sel)!;
const qa = <T extends Element>(root: Element, sel: string) => [...root.shadowRoot!.querySelectorAll<T>(sel)];
const words = (n: Node) => n.textContent!.replace(/\s+/g, ' ').trim();
const head = (el: TlTablePreview, name: string) => qa<HTMLTableCellElement>(el, '.scroll thead th').find((th) => th.querySelector('.name')?.textContent === name)!;
const box = (el: TlTablePreview, label: string) => q<HTMLInputElement>(picker(el)!, `input[aria-label="${label}"]`);
const button = (root: Element, name: string) => qa<HTMLButtonElement>(root, 'button').find((b) => words(b) === name)!;
/** The detail of the next `type` event the element raises while `act` runs. */
async function raised<K extends 'table-choice' | 'table-read-options'>(el: Element, type: K, act: () => void) {
  let detail: unknown;
  const on = (e: Event) => (detail = (e as CustomEvent).detail);
  el.addEventListener(type, on);
  act();
  el.removeEventListener(type, on);
  return detail as HTMLElementEventMap[K]['detail'] | undefined;
}
function choose(select: HTMLSelectElement, value: string) {
  select.value = value;
  select.dispatchEvent(new Event('change'));
}
function toggle(input: HTMLInputElement) {
  input.click(); // checks or unchecks it and fires change, as a person's click does
}

describe('tl-table-preview', () => {
  it('shows the first rows only, and per column its name, type, missing and distinct counts and flags', async () => {
    const el = await mount();
    const bodyRows = qa(el, '.scroll tbody tr');
    expect(bodyRows).to.have.length(PREVIEW_ROWS);
    const cells = (tr: Element) => [...tr.children].map((c) => c.textContent!.trim());
    expect(cells(bodyRows[0])).to.deep.equal(['2', '1000', '4.3', '3.0', '3', 'red', '', 'setosa']); // the row's record number in the file first
    expect(cells(bodyRows[5]).slice(0, 4)).to.deep.equal(['8', '1005', '4.8', 'abc']); // after the skipped blank line
    expect(bodyRows[0].querySelector('td.missing')!.textContent).to.equal('');
    expect(words(el.shadowRoot!.querySelector('p.muted')!)).to.equal('flowers.csv: 25 rows (the first 10 shown), 7 columns; 1 blank row skipped.');
    expect(words(head(el, 'species'))).to.equal('species categorical 0 missing 3 distinct label');
    expect(words(head(el, 'notes'))).to.equal('notes empty 25 missing 0 distinct not used');
    expect(words(head(el, 'colour'))).to.equal('colour categorical 0 missing 3 distinct one-hot');
    expect(words(head(el, 'id'))).to.equal('id numeric 0 missing 25 distinct not used looks like a regression target');
    expect(words(head(el, 'sepal_width'))).to.equal("sepal_width numeric 0 missing 7 distinct 4 cells are not numbers: row 8 'abc', row 11 'x1', row 14 '--', …");
  });

  it('read options show how the file was read; each change raises table-read-options with that option', async () => {
    const el = await mount({ readOptions: { encoding: 'windows-1252', delimiter: '\t', decimalComma: true, hasHeader: true } });
    const encoding = q<HTMLSelectElement>(el, 'select[name=encoding]');
    const delimiter = q<HTMLSelectElement>(el, 'select[name=delimiter]');
    expect([encoding.value, delimiter.selectedOptions[0].textContent]).to.deep.equal(['windows-1252', 'Tab']);
    expect([...encoding.options].map((o) => o.value)).to.deep.equal(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']);
    expect(q<HTMLInputElement>(el, 'input[name=decimal-comma]').checked).to.equal(true);
    expect(await raised(el, 'table-read-options', () => choose(encoding, 'utf-16le'))).to.deep.equal({ encoding: 'utf-16le' });
    expect(await raised(el, 'table-read-options', () => choose(delimiter, 'semicolon'))).to.deep.equal({ delimiter: ';' });
    expect(await raised(el, 'table-read-options', () => choose(delimiter, 'tab'))).to.deep.equal({ delimiter: '\t' });
    expect(await raised(el, 'table-read-options', () => toggle(q(el, 'input[name=has-header]')))).to.deep.equal({ hasHeader: false });
    expect(await raised(el, 'table-read-options', () => toggle(q(el, 'input[name=decimal-comma]')))).to.deep.equal({ decimalComma: false });
  });

  it('shows each problem as an alert', async () => {
    const el = await mount({ problems: ['sepal_width: 4 cells are not numbers (row 8 "abc", …): tick "Treat non-numbers as missing" or make it categorical'] });
    expect(qa(el, '[role=alert]').map(words)).to.deep.equal(['sepal_width: 4 cells are not numbers (row 8 "abc", …): tick "Treat non-numbers as missing" or make it categorical']);
  });

  it('choosing a feature column as the label takes it out of the features (and out of the one-hot ones)', async () => {
    const el = await mount();
    const label = q<HTMLSelectElement>(picker(el)!, 'select[name=label-column]');
    expect([...label.options].map((o) => o.value)).to.deep.equal(HEADER);
    expect(label.value).to.equal('species');
    const got = await raised(el, 'table-choice', () => choose(label, 'colour'));
    expect(got).to.deep.equal({ ...CHOICE, label: 'colour', features: ['sepal_length', 'sepal_width', 'petals'], categorical: [] });
    el.choice = got!;
    await el.updateComplete;
    await picker(el)!.updateComplete;
    expect(box(el, 'Use as feature: colour').disabled).to.equal(true);
    expect(box(el, 'Use as feature: colour').checked).to.equal(false);
    expect(words(head(el, 'colour'))).to.contain('label');
  });

  it('Use as feature keeps features in table order; a text column made a feature is one-hot', async () => {
    const el = await mount({ choice: { ...CHOICE, features: ['sepal_width'], categorical: [] } });
    let got = await raised(el, 'table-choice', () => toggle(box(el, 'Use as feature: colour')));
    expect(got).to.deep.include({ features: ['sepal_width', 'colour'], categorical: ['colour'] });
    got = await raised(el, 'table-choice', () => toggle(box(el, 'Use as feature: id')));
    expect(got).to.deep.include({ features: ['id', 'sepal_width'], categorical: [] });
    got = await raised(el, 'table-choice', () => toggle(box(el, 'Use as feature: sepal_width')));
    expect(got).to.deep.include({ features: [], categorical: [] });
  });

  it('Categorical: offered for numeric features with few distinct values, always on for text columns', async () => {
    const el = await mount({ choice: { ...CHOICE, maxCategories: 10 } });
    expect(box(el, 'Categorical: petals').disabled).to.equal(false); // 3 distinct
    expect(box(el, 'Categorical: sepal_length').disabled).to.equal(true); // 25 distinct > 10
    expect([box(el, 'Categorical: colour').checked, box(el, 'Categorical: colour').disabled]).to.deep.equal([true, true]);
    expect(box(el, 'Categorical: id').disabled).to.equal(true); // not a feature
    expect(picker(el)!.shadowRoot!.querySelector('input[aria-label="Categorical: notes"]')).to.equal(null); // empty column
    const got = await raised(el, 'table-choice', () => toggle(box(el, 'Categorical: petals')));
    expect(got).to.deep.include({ categorical: ['petals', 'colour'] }); // table order
    el.choice = { ...got!, maxCategories: 2 };
    await el.updateComplete;
    await picker(el)!.updateComplete;
    expect(box(el, 'Categorical: petals').disabled).to.equal(false); // chosen: it can still be undone
    expect(await raised(el, 'table-choice', () => toggle(box(el, 'Categorical: petals')))).to.deep.include({ categorical: ['colour'] });
  });

  it('preparation options raise the whole choice; Treat non-numbers as missing only where a column has some', async () => {
    const el = await mount();
    expect(await raised(el, 'table-choice', () => choose(q(el, 'select[name=scaling]'), 'minmax'))).to.deep.equal({ ...CHOICE, scaling: 'minmax' });
    expect(await raised(el, 'table-choice', () => choose(q(el, 'select[name=missing]'), 'impute'))).to.deep.equal({ ...CHOICE, missing: 'impute' });
    expect(await raised(el, 'table-choice', () => toggle(q(el, 'input[name=not-numbers-missing]')))).to.deep.equal({ ...CHOICE, notNumbersAsMissing: true });
    const max = q<HTMLInputElement>(el, 'input[name=max-categories]');
    max.value = '50';
    expect(await raised(el, 'table-choice', () => max.dispatchEvent(new Event('change')))).to.deep.equal({ ...CHOICE, maxCategories: 50 });
    max.value = '1.5';
    expect(await raised(el, 'table-choice', () => max.dispatchEvent(new Event('change')))).to.equal(undefined);
    await el.updateComplete;
    expect(words(q(el, '#max-categories-error'))).to.equal('Max categories: a whole number, at least 1');
    el.profiles = PROFILES.map(({ notNumbers: _, ...p }) => p);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('input[name=not-numbers-missing]')).to.equal(null);
  });

  it('axe-core finds no WCAG A/AA violation', async () => {
    const el = await mount({ problems: ['sepal_width: 4 cells are not numbers'] });
    const result = await axe.run(el, WCAG);
    expect(result.violations.map((v) => `${v.id}: ${v.help}`)).to.deep.equal([]);
  });
});

describe('tl-table-preview with 1,000 columns', () => {
  it('draws the first columns with a note on the others, at once', async () => {
    const { table, profiles, choice } = wide(1000);
    const t0 = performance.now();
    const el = await mount({ table, profiles, choice });
    void q<HTMLElement>(picker(el)!, '.list').scrollHeight; // laid out too
    const ms = performance.now() - t0;
    console.log(`1,001 columns: preview and picker drawn and laid out in ${ms.toFixed(0)} ms`);
    expect(ms).to.be.below(1500);
    expect(qa(el, '.scroll thead th[scope=col]')).to.have.length(PREVIEW_COLUMNS + 1); // + the row number
    expect(qa(el, '.scroll tbody tr')).to.have.length(PREVIEW_ROWS);
    expect(qa(el, '.scroll tbody tr')[0].querySelectorAll('td')).to.have.length(PREVIEW_COLUMNS);
    expect(words(el.shadowRoot!.querySelector('p.muted')!)).to.contain('+951 more columns not shown here');
    expect(qa(picker(el)!, 'tbody tr')).to.have.length(PICKER_PAGE);
  });

  it('the column picker reaches every column: by the filter, and by Show more', async () => {
    const { table, profiles, choice } = wide(1000);
    const el = await mount({ table, profiles, choice });
    const p = picker(el)!;
    const filter = q<HTMLInputElement>(p, 'input[name=column-filter]');
    filter.value = 'c0999';
    filter.dispatchEvent(new Event('input'));
    await p.updateComplete;
    expect(qa(p, 'tbody tr').map((tr) => words(tr.querySelector('td')!))).to.deep.equal(['c0999']);
    const got = await raised(el, 'table-choice', () => toggle(box(el, 'Use as feature: c0999')));
    expect(got!.features).to.have.length(999);
    expect(got!.features).to.not.include('c0999');
    // "Use none matching" applies to the filtered columns only.
    filter.value = 'c09';
    filter.dispatchEvent(new Event('input'));
    await p.updateComplete;
    expect((await raised(el, 'table-choice', () => button(p, 'Use none matching').click()))!.features).to.have.length(900);
    filter.value = '';
    filter.dispatchEvent(new Event('input'));
    await p.updateComplete;
    for (let shown = PICKER_PAGE; shown < 1001; shown += PICKER_PAGE) {
      button(p, `Show ${Math.min(PICKER_PAGE, 1001 - shown)} more`).click();
      await p.updateComplete;
    }
    const rows = qa(p, 'tbody tr');
    expect(rows).to.have.length(1001);
    expect(words(rows[1000].querySelector('td')!)).to.equal('label label'); // its name and the label flag
    expect(qa(p, 'button').map(words)).to.not.include('Show 1 more');
  });

  it('axe-core finds no WCAG A/AA violation', async () => {
    const { table, profiles, choice } = wide(1000);
    const el = await mount({ table, profiles, choice });
    const result = await axe.run(el, WCAG);
    expect(result.violations.map((v) => `${v.id}: ${v.help}`)).to.deep.equal([]);
  });
});

describe('table choice edits', () => {
  it('the label never stays a feature, features stay in table order, one-hot columns are features', () => {
    const c = withLabel(CHOICE, 'colour');
    expect(c.features).to.not.include('colour');
    expect(c.categorical).to.deep.equal([]);
    const back = withFeatures(c, PROFILES, ['species', 'colour', 'id'], true); // colour is the label now: not added
    expect(back.features).to.deep.equal(['id', 'sepal_length', 'sepal_width', 'petals', 'species']);
    expect(back.categorical).to.deep.equal(['species']);
  });
});
