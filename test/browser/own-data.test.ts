// The Lab's own-data controller (src/app/own-data.ts) with the real table, image and dataset
// workers and a real OwnDataStore on a test database: read, choose, re-read, cancel, errors, the
// file an address names, the offer of the last one, image zips, and newer steps replacing older ones.
import { expect } from '@esm-bundle/chai';
import { deleteDB } from 'idb';
import { OwnData } from '../../src/app/own-data';
import { defaultOwnDataSpec, DEFAULT_TABLE_SPEC, type OwnDataSpec } from '../../src/app/own-data-spec';
import { writeZip } from '../../src/export/zip';
import { OwnDataStore } from '../../src/recorder/dataset-store';
import { sha256Hex } from '../../src/training/datasets/images/image-provenance';
import type { TableChoice } from '../../src/training/datasets/table/table';
import { waitFor } from '../helpers/wait';
import { solid } from './image-fixtures';

const RATIOS = { train: 0.7, val: 0.15, test: 0.15 };
const COLOURS = ['red', 'green', 'blue'];

/** `rows` rows: three numeric features, a text one and a three-class label named "class". */
function csv(rows: number, delimiter = ','): string {
  const lines = [['x1', 'x2', 'x3', 'colour', 'class'].join(delimiter)];
  for (let i = 0; i < rows; i++) {
    lines.push([i % 10, ((i * 7) % 13) / 2, (i * 0.37).toFixed(2), COLOURS[i % 3], `c${i % 3}`].join(delimiter));
  }
  return lines.join('\n') + '\n';
}
const shaOf = async (text: string): Promise<string> => sha256Hex(new TextEncoder().encode(text).buffer as ArrayBuffer);

let dbCount = 0;
let dbName = '';
let store: OwnDataStore;

beforeEach(async () => {
  dbName = `trainlab-own-data-test-${Date.now()}-${dbCount++}`;
  store = await OwnDataStore.open(dbName);
});
afterEach(async () => {
  store.close();
  await deleteDB(dbName);
});

function controller(spec: OwnDataSpec = defaultOwnDataSpec(), seed = 42) {
  const specs: OwnDataSpec[] = [];
  const ctl = new OwnData(() => {}, (s) => specs.push(structuredClone(s)), { spec, ratios: RATIOS, seed }, () => Promise.resolve(store));
  return { ctl, specs };
}

/** Waits until no step runs. */
const settled = (ctl: OwnData, what = 'the step to end', ms = 30000) => waitFor(() => ctl.busy === null, what, ms);

/** Waits until the store keeps `sha256` (keeping runs beside the next step). */
async function kept(sha256: string) {
  const t0 = performance.now();
  while (!(await store.get(sha256))) {
    if (performance.now() - t0 > 10000) expect.fail(`${sha256.slice(0, 12)}… was not kept`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return (await store.get(sha256))!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('own data controller: tables', () => {
  it('openText reads, profiles and prepares the table: dataset, split and dataFile; the spec names it; the text is kept', async () => {
    const text = csv(60);
    const sha = await shaOf(text);
    const { ctl, specs } = controller();
    ctl.openText(text);
    expect(ctl.busy?.label).to.equal('Reading pasted text');
    await settled(ctl);
    expect(ctl.error).to.equal('');
    const p = ctl.prepared!;
    expect(p, 'prepared').to.be.ok;
    expect(p.dataset.numSamples).to.equal(60);
    expect(p.dataset.classNames).to.deep.equal(['c0', 'c1', 'c2']);
    expect(p.dataset.inputShape).to.deep.equal([6]); // x1, x2, x3 and colour one-hot (3)
    expect(p.dataset.source).to.equal(`file:pasted text sha256=${sha}`);
    const s = p.split!;
    expect(s.train.n + s.val.n + s.test.n).to.equal(60);
    expect([s.train.n, s.val.n, s.test.n]).to.deep.equal([42, 9, 9]);
    expect(s.seed).to.equal(42);
    expect(p.sha256).to.match(/^[0-9a-f]{64}$/);
    expect(p.dataFile).to.deep.include({ kind: 'table', name: 'pasted text', bytes: new Blob([text]).size, sha256: sha, delimiter: ',', has_header: true, rows: 60, columns: 5 });
    if (p.dataFile.kind !== 'table') expect.fail('a table');
    expect(p.dataFile.preprocessing.outputNames).to.deep.equal(['x1', 'x2', 'x3', 'colour=blue', 'colour=green', 'colour=red']);
    expect(ctl.current).to.deep.include({ name: 'pasted text', bytes: p.dataFile.bytes, sha256: sha });
    expect(ctl.table!.choice).to.deep.include({ label: 'class', features: ['x1', 'x2', 'x3', 'colour'], categorical: ['colour'] });
    expect(specs.at(-1)).to.deep.include({ name: 'pasted text', sha256: sha, table: { ...DEFAULT_TABLE_SPEC } });
    const stored = await kept(sha);
    expect(stored).to.deep.include({ name: 'pasted text', kind: 'table', pasted: true });
    expect(await stored.files[0].blob.text()).to.equal(text);
    await waitFor(() => ctl.current?.kept === true, 'the page to know the copy is kept');
  });

  it('setChoice prepares again with the new features and writes the spec; a new split or seed prepares again too', async () => {
    const text = csv(60);
    const { ctl, specs } = controller();
    ctl.openText(text);
    await settled(ctl);
    const before = ctl.prepared!;
    const choice: TableChoice = { ...ctl.table!.choice, label: 'colour', features: ['x1', 'class'], categorical: ['x1', 'class'], scaling: 'none' };
    ctl.setChoice(choice);
    expect(specs.at(-1)!.table).to.deep.equal({ ...DEFAULT_TABLE_SPEC, label: 'colour', skip: ['x2', 'x3'], cat: ['x1'], scaling: 'none' });
    expect(ctl.busy?.label).to.equal('Preparing pasted text');
    await settled(ctl);
    const after = ctl.prepared!;
    expect(after).to.not.equal(before);
    if (after.dataFile.kind !== 'table') expect.fail('a table');
    expect(after.dataFile.preprocessing.label.column).to.equal('colour');
    expect(after.dataFile.preprocessing.outputNames).to.deep.equal([...Array.from({ length: 10 }, (_, i) => `x1=${i}`), 'class=c0', 'class=c1', 'class=c2']);
    expect(after.dataset.classNames).to.deep.equal(['blue', 'green', 'red']);
    expect(after.key).to.not.equal(before.key);
    expect(ctl.table!.choice).to.deep.equal(choice);

    ctl.setContext({ spec: specs.at(-1)!, ratios: { train: 0.5, val: 0.25, test: 0.25 }, seed: 7 });
    await settled(ctl);
    expect(ctl.prepared!.split!.seed).to.equal(7);
    expect(ctl.prepared!.split!.train.n).to.equal(30);
    expect(ctl.prepared!.dataset.classNames, 'the choice is kept').to.deep.equal(['blue', 'green', 'red']);
  });

  it('setReadOptions reads the table again with the new options: a wrong delimiter, then the right one', async () => {
    const text = csv(40, ';');
    const { ctl } = controller();
    ctl.openText(text);
    await settled(ctl);
    expect(ctl.table!.read.table.source.delimiter).to.equal(';');
    expect(ctl.table!.read.table.header).to.have.length(5);

    ctl.setReadOptions({ delimiter: ',' });
    expect(ctl.busy?.label).to.equal('Reading pasted text');
    await settled(ctl);
    expect(ctl.table!.options).to.deep.equal({ delimiter: ',' });
    expect(ctl.table!.read.table.header).to.deep.equal(['x1;x2;x3;colour;class']);
    expect(ctl.table!.read.table.source.delimiter).to.equal(',');
    expect(ctl.table!.problems).to.have.length(1); // one column: a label and no feature
    expect(ctl.table!.problems[0]).to.match(/feature/);

    ctl.setReadOptions({ delimiter: ';' });
    await settled(ctl);
    expect(ctl.table!.options).to.deep.equal({ delimiter: ';' });
    expect(ctl.table!.problems).to.deep.equal([]);
    expect(ctl.prepared!.dataset.numSamples).to.equal(40);
  });

  it('a ragged table is refused with an error naming the rows', async () => {
    const { ctl } = controller();
    ctl.openText('a,b,label\n1,2,x\n3,4\n5,6,y\n7,8,9,z\n9,9,x\n');
    await settled(ctl);
    expect(ctl.prepared).to.equal(null);
    expect(ctl.error).to.match(/^Could not read pasted text: 2 rows have a different number of fields than the header \(3\): row 3 has 2, row 5 has 4/);
  });

  it('cancel during the read of a 20 MB text: busy cleared at once, nothing read or prepared, a note; the next read works', async () => {
    const lines = ['a,b,c,d,label'];
    for (let i = 0; i < 640_000; i++) lines.push(`${i},${(i * 0.37).toFixed(3)},${i % 17},${(Math.sin(i) * 100).toFixed(4)},${i % 2 ? 'yes' : 'no'}`);
    const big = lines.join('\n');
    expect(big.length).to.be.above(20e6);
    const { ctl, specs } = controller();
    ctl.openText(big);
    await waitFor(() => (ctl.busy?.done ?? 0) > 0, 'reading progress');
    expect(ctl.busy!.done).to.be.below(ctl.busy!.total);
    ctl.cancel();
    expect(ctl.busy).to.equal(null);
    expect(ctl.notes).to.deep.equal(['Cancelled: nothing was changed.']);
    await sleep(1500); // what the worker might still answer is not used
    expect(ctl.busy).to.equal(null);
    expect(ctl.table).to.equal(null);
    expect(ctl.prepared).to.equal(null);
    expect(ctl.error).to.equal('');
    expect(specs).to.deep.equal([]);

    ctl.openText(csv(30));
    await settled(ctl);
    expect(ctl.prepared!.dataset.numSamples).to.equal(30);
  });

  it('a newer step cancels an older one: of two openText calls in a row only the second is used', async () => {
    const first = csv(200_000); // ~5 MB: still reading when replaced
    const second = csv(45);
    const [shaFirst, shaSecond] = await Promise.all([shaOf(first), shaOf(second)]);
    const { ctl, specs } = controller();
    ctl.openText(first);
    ctl.openText(second);
    await settled(ctl);
    await sleep(300);
    expect(ctl.error).to.equal('');
    expect(ctl.table!.read.totalRows).to.equal(45);
    expect(ctl.prepared!.dataFile.sha256).to.equal(shaSecond);
    expect(ctl.prepared!.dataset.numSamples).to.equal(45);
    expect(specs.map((s) => s.sha256)).to.not.include(shaFirst);
    expect(specs.at(-1)!.sha256).to.equal(shaSecond);
    await kept(shaSecond);
    expect(await store.get(shaFirst)).to.equal(undefined);
  });
});

describe('own data controller: the file an address names, and the offer', () => {
  it('start() with a spec whose SHA-256 is kept opens the kept table with the spec\'s choices', async () => {
    const text = csv(50);
    const sha = await shaOf(text);
    await store.save({ sha256: sha, name: 'kept.csv', kind: 'table', files: [{ path: 'kept.csv', blob: new File([text], 'kept.csv') }], bytes: new Blob([text]).size });
    const spec = { ...defaultOwnDataSpec(), name: 'kept.csv', sha256: sha, table: { ...DEFAULT_TABLE_SPEC, skip: ['x2'], cat: ['x1'] } };
    const { ctl } = controller(spec);
    await ctl.start();
    await settled(ctl);
    expect(ctl.error).to.equal('');
    expect(ctl.wanted).to.equal(null);
    expect(ctl.offer).to.equal(null);
    expect(ctl.notes).to.deep.equal(['Using kept.csv, kept in this browser.']);
    expect(ctl.table!.choice).to.deep.include({ label: 'class', features: ['x1', 'x3', 'colour'], categorical: ['x1', 'colour'] });
    const p = ctl.prepared!;
    expect(p.dataFile).to.deep.include({ name: 'kept.csv', sha256: sha, rows: 50 });
    expect(ctl.current).to.deep.equal({ name: 'kept.csv', bytes: new Blob([text]).size, sha256: sha, kept: true });
    await ctl.start(); // once only
    expect(ctl.busy).to.equal(null);
  });

  it('start() with an unknown SHA-256 sets `wanted`; a different file then names itself in the spec with the proposed choice', async () => {
    const wantedSha = 'cd'.repeat(32);
    const spec = { ...defaultOwnDataSpec(), name: 'wanted.csv', sha256: wantedSha, table: { ...DEFAULT_TABLE_SPEC, skip: ['x1'] } };
    const { ctl, specs } = controller(spec);
    await ctl.start();
    expect(ctl.wanted).to.deep.equal({ name: 'wanted.csv', sha256: wantedSha });
    expect(ctl.offer).to.equal(null);
    const text = csv(40);
    const sha = await shaOf(text);
    ctl.openFiles([new File([text], 'other.csv')], [''], false);
    await settled(ctl);
    expect(ctl.error).to.equal('');
    expect(ctl.wanted).to.equal(null);
    // The address's choices were for the file it named: this one gets the proposed choice.
    expect(ctl.table!.choice.features).to.deep.equal(['x1', 'x2', 'x3', 'colour']);
    expect(specs.at(-1)).to.deep.include({ name: 'other.csv', sha256: sha });
    await kept(sha);
  });

  it('start() with no file named offers the last kept dataset; forget() clears the offer and the store', async () => {
    const text = csv(20);
    const sha = await shaOf(text);
    await store.save({ sha256: sha, name: 'last.csv', kind: 'table', files: [{ path: 'last.csv', blob: new File([text], 'last.csv') }], bytes: new Blob([text]).size });
    const { ctl } = controller();
    await ctl.start();
    expect(ctl.offer).to.deep.include({ sha256: sha, name: 'last.csv', kind: 'table' });
    expect(ctl.prepared).to.equal(null);
    await ctl.forget();
    expect(ctl.offer).to.equal(null);
    expect(ctl.error).to.equal('');
    expect(ctl.notes).to.deep.equal(['last.csv is no longer kept in this browser.']);
    expect(await store.get(sha)).to.equal(undefined);
  });
});

describe('own data controller: image sets', () => {
  it('an image zip is planned, decoded and split; its SHA-256 is the zip\'s; new image options decode it again', async () => {
    const entries: { path: string; data: Blob }[] = [];
    for (const [name, colour] of [['red', [255, 0, 0, 1]], ['blue', [0, 0, 255, 1]]] as const) {
      for (let i = 0; i < 10; i++) entries.push({ path: `shapes/${name}/${i}.png`, data: await solid(8 + i, 8, [...colour]) });
    }
    const zip = await writeZip(entries, { date: new Date(2026, 0, 1) });
    const sha = await sha256Hex(await zip.arrayBuffer());
    const { ctl, specs } = controller();
    ctl.openFiles([new File([zip], 'shapes.zip')], [''], false);
    expect(ctl.busy?.label).to.equal('Listing the images of shapes.zip');
    await settled(ctl);
    expect(ctl.error).to.equal('');
    expect(ctl.table).to.equal(null);
    const images = ctl.images!;
    expect(images.plan.classes).to.deep.equal([{ name: 'blue', count: 10 }, { name: 'red', count: 10 }]);
    expect(images.memoryWarning).to.equal(null);
    expect(images.loaded!.dataset.numSamples).to.equal(20);
    const p = ctl.prepared!;
    expect(p.dataset.inputShape).to.deep.equal([32, 32, 3]);
    expect(p.dataset.classNames).to.deep.equal(['blue', 'red']);
    expect(p.split!.train.n + p.split!.val.n + p.split!.test.n).to.equal(20);
    expect(p.splitError).to.equal('');
    expect(p.dataFile).to.deep.include({ kind: 'images', name: 'shapes.zip', bytes: zip.size, sha256: sha });
    expect(specs.at(-1)).to.deep.include({ name: 'shapes.zip', sha256: sha });
    expect(await kept(sha)).to.deep.include({ kind: 'images', name: 'shapes.zip' });

    ctl.setContext({ spec: { ...specs.at(-1)!, image: { size: 28, color: 'grayscale' } }, ratios: RATIOS, seed: 42 });
    await settled(ctl);
    expect(ctl.prepared!.dataset.inputShape).to.deep.equal([28, 28, 1]);
    expect(ctl.prepared!.dataFile.sha256).to.equal(sha);
  });
});

describe('own data controller: defects found', () => {
  it('a table that is not the file the address named gets a note saying so', async () => {
    // readTable calls noteWanted (which sets the note) and then, for a new file (isNew: openFiles,
    // openText), replaces this.notes with the choice's notes: the note is lost. Image sets keep it
    // (loadImages clears the notes before decoding, noteWanted runs after).
    const wantedSha = 'cd'.repeat(32);
    const { ctl } = controller({ ...defaultOwnDataSpec(), name: 'wanted.csv', sha256: wantedSha });
    await ctl.start();
    const text = csv(40);
    const sha = await shaOf(text);
    ctl.openFiles([new File([text], 'other.csv')], [''], false);
    await settled(ctl);
    expect(ctl.notes).to.deep.equal([
      `other.csv is not the file this address named (wanted.csv, SHA-256 ${wantedSha.slice(0, 12)}…; this one is ${sha.slice(0, 12)}…): the address now names other.csv.`,
    ]);
    await kept(sha);
  });

  it('after a cancelled read of another table, the table still shown can be prepared again', async () => {
    // The table worker drops its table when a read starts ("a cancelled one leaves none"), but the
    // controller keeps showing the older table after Cancel ("nothing was changed"): a new choice
    // then fails with "the table is still being read" (or, once the worker has stopped reading,
    // "no table has been read yet").
    const { ctl } = controller();
    ctl.openText(csv(60));
    await settled(ctl);
    const lines = ['a,b,label'];
    for (let i = 0; i < 400_000; i++) lines.push(`${i},${i % 7},${i % 2}`);
    ctl.openText(lines.join('\n'));
    await waitFor(() => (ctl.busy?.done ?? 0) > 0, 'reading progress');
    ctl.cancel();
    expect(ctl.table!.read.totalRows).to.equal(60);
    ctl.setChoice({ ...ctl.table!.choice, features: ['x1', 'x2'], categorical: [] });
    await settled(ctl);
    expect(ctl.table!.problems).to.deep.equal([]);
    expect(ctl.prepared!.dataset.inputShape).to.deep.equal([2]);
  });

  it('a new split or seed while a new file is read applies to that file; the read goes on', async () => {
    // setContext starts prepareTable for the table shown, which cancels the read running (begin),
    // so the new file is dropped without a word and the old table (gone from the worker) fails.
    const { ctl } = controller();
    ctl.openText(csv(60));
    await settled(ctl);
    ctl.openText(csv(150_000));
    await waitFor(() => (ctl.busy?.done ?? 0) > 0, 'reading progress');
    ctl.setContext({ spec: defaultOwnDataSpec(), ratios: RATIOS, seed: 9 });
    await settled(ctl);
    expect(ctl.error).to.equal('');
    expect(ctl.table!.read.totalRows).to.equal(150_000);
    expect(ctl.prepared!.split!.seed).to.equal(9);
  });
});
