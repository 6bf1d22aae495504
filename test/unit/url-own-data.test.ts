// A person's own data in the Lab's address (url-state.ts with dataset=file): every parameter
// round-trips, applies only with dataset=file, survives hostile names, and defaults stay unwritten.
import { expect } from '@esm-bundle/chai';
import { choiceOf, specOf } from '../../src/app/own-data-spec';
import { readTable } from '../../src/training/datasets/table/csv-read';
import { profileTable } from '../../src/training/datasets/table/profile';
import { defaultLabState, parseLabState, serializeLabState, type LabState } from '../../src/url-state';

const SHA = 'ab'.repeat(32);
const TAIL = '&split=70,15,15&model=mlp&hidden=16,16&act=relu&dropout=0&epochs=20&batch=32&optimizer=adam&lr=0.01&wd=0&sched=constant&seed=42';
const OWN = ['file', 'fsha', 'label', 'skip', 'cat', 'scale', 'missing', 'nanum', 'maxcat', 'isize', 'icolor'];

function fileState(edit: (s: LabState) => void = () => {}): LabState {
  const s = defaultLabState();
  s.dataset = 'file';
  edit(s);
  return s;
}

function parseOk(search: string): LabState {
  const { state, errors } = parseLabState(search);
  expect(errors, search).to.deep.equal([]);
  return state;
}

const roundTrip = (s: LabState): LabState => parseOk(serializeLabState(s));
const paramsOf = (query: string): string[] => [...new URLSearchParams(query).keys()];

describe('url state: own data (dataset=file)', () => {
  it('writes no own-data parameter while none is chosen, and only file and fsha for a file with the proposed choice', () => {
    expect(serializeLabState(fileState())).to.equal(`?dataset=file${TAIL}`);
    expect(parseOk(`?dataset=file${TAIL}`)).to.deep.equal(fileState());
    const chosen = fileState((s) => Object.assign(s.own, { name: 'iris.csv', sha256: SHA }));
    expect(serializeLabState(chosen)).to.equal(`?dataset=file&file=iris.csv&fsha=${SHA}${TAIL}`);
    expect(roundTrip(chosen)).to.deep.equal(chosen);
  });

  it('round-trips every own-data parameter set away from its default', () => {
    const s = fileState((s) => {
      s.own.name = 'penguins.csv';
      s.own.sha256 = SHA;
      s.own.table = { label: 'island', skip: ['sex', 'notes'], cat: ['year'], scaling: 'minmax', missing: 'impute', notNumbersAsMissing: true, maxCategories: 12 };
      s.own.image = { size: 64, color: 'grayscale' };
    });
    const q = serializeLabState(s);
    expect(paramsOf(q).filter((p) => OWN.includes(p))).to.deep.equal(OWN);
    expect(q).to.contain('&file=penguins.csv&fsha=' + SHA + '&label=island&skip=sex,notes&cat=year&scale=minmax&missing=impute&nanum=1&maxcat=12&isize=64&icolor=grayscale&');
    expect(roundTrip(s)).to.deep.equal(s);
    // Each one alone, too: nothing depends on another being there.
    for (const [param, edit] of [
      ['label', (x: LabState) => (x.own.table.label = 'y')],
      ['skip', (x: LabState) => (x.own.table.skip = ['a'])],
      ['cat', (x: LabState) => (x.own.table.cat = ['b', 'c'])],
      ['scale', (x: LabState) => (x.own.table.scaling = 'none')],
      ['missing', (x: LabState) => (x.own.table.missing = 'impute')],
      ['nanum', (x: LabState) => (x.own.table.notNumbersAsMissing = true)],
      ['maxcat', (x: LabState) => (x.own.table.maxCategories = 3)],
      ['isize', (x: LabState) => (x.own.image.size = 28)],
      ['icolor', (x: LabState) => (x.own.image.color = 'grayscale')],
    ] as const) {
      const one = fileState(edit);
      const query = serializeLabState(one);
      expect(paramsOf(query).filter((p) => OWN.includes(p)), param).to.deep.equal([param]);
      expect(roundTrip(one), param).to.deep.equal(one);
    }
  });

  it('ignores every own-data parameter, with a message, when the dataset is not a file; in any order', () => {
    const query = `?file=x.csv&fsha=${SHA}&label=y&skip=a&cat=b&scale=none&missing=impute&nanum=1&maxcat=3&isize=64&icolor=grayscale&dataset=iris`;
    const { state, errors } = parseLabState(query);
    expect(state.dataset).to.equal('iris');
    expect(state.own).to.deep.equal(defaultLabState().own);
    const raw = new URLSearchParams(query);
    expect(errors).to.deep.equal(OWN.map((p) => `ignored ${p}=${raw.get(p)}: only used with dataset=file`));
    // With no dataset at all (the default, spirals) the same.
    expect(parseLabState('?label=y').errors).to.deep.equal(['ignored label=y: only used with dataset=file']);
    // And they are not written for a built-in dataset even when set.
    const iris = fileState((s) => Object.assign(s.own, { name: 'x.csv', sha256: SHA }));
    iris.dataset = 'iris';
    expect(paramsOf(serializeLabState(iris)).filter((p) => OWN.includes(p))).to.deep.equal([]);
    // Order in the address does not matter: dataset=file last still applies them.
    expect(parseOk(`?file=x.csv&label=y&dataset=file`).own).to.deep.include({ name: 'x.csv' });
  });

  it('names with commas, %, &, =, +, #, unicode and __proto__ survive', () => {
    const names = ['a,b', '50%', '%2C', 'x&y=z', 'a+b c', '#1', 'größe 📏', '日本語', '__proto__', 'constructor', ',', ' lead'];
    const s = fileState((s) => {
      s.own.name = 'données, 2024 % #1 & co.csv';
      s.own.sha256 = SHA;
      s.own.table.label = '__proto__,%,+';
      s.own.table.skip = names;
      s.own.table.cat = [...names].reverse();
    });
    const q = serializeLabState(s);
    expect(q).to.not.match(/[#\s]/);
    const back = roundTrip(s);
    expect(back).to.deep.equal(s);
    expect(Object.getPrototypeOf(back.own.table)).to.equal(Object.prototype);
    // Through a real URL, as the page reads location.search.
    expect(parseOk(new URL(`https://lab.example/${q}`).search)).to.deep.equal(s);
    // `__proto__` as a parameter name is unknown, and harms nothing.
    const { state, errors } = parseLabState('?dataset=file&__proto__=x&constructor=y');
    expect(errors).to.deep.equal(['ignored __proto__=x: unknown parameter', 'ignored constructor=y: unknown parameter']);
    expect(state).to.deep.equal(fileState());
  });

  it('refuses a bad fsha with a message; takes upper-case hex as lower case', () => {
    for (const bad of ['xyz', SHA.slice(1), `${SHA}0`, 'g'.repeat(64), '']) {
      const { state, errors } = parseLabState(`?dataset=file&file=a.csv&fsha=${bad}`);
      expect(errors, bad).to.deep.equal([`ignored fsha=${bad}: expected 64 hexadecimal digits (a SHA-256)`]);
      expect(state.own).to.deep.include({ name: 'a.csv', sha256: '' });
    }
    expect(parseOk(`?dataset=file&fsha=${SHA.toUpperCase()}`).own.sha256).to.equal(SHA);
  });

  it('refuses other bad values with a message and keeps their defaults', () => {
    const { state, errors } = parseLabState('?dataset=file&scale=log&missing=zero&nanum=yes&maxcat=many&isize=30&icolor=cmyk&skip=%25E0%25A4');
    expect(errors).to.deep.equal([
      'ignored skip=%E0%A4: expected comma-separated names',
      'ignored scale=log: unknown scaling (expected one of standard, minmax, none)',
      'ignored missing=zero: unknown missing-value rule (expected one of drop, impute)',
      'ignored nanum=yes: expected 1 or 0',
      'ignored maxcat=many: expected a whole number of at least 1',
      'ignored isize=30: expected one of 28, 32, 64',
      'ignored icolor=cmyk: unknown colour (expected one of grayscale, rgb)',
    ]);
    expect(state).to.deep.equal(fileState());
  });

  it('a choice made in the preview reads back the same from the address (specOf → URL → choiceOf)', async () => {
    const profiles = profileTable(await readTable('"a,b",50%,größe,__proto__,kind\n1,2,x,4,y\n2,3,z,5,n\n3,4,x,6,y\n4,5,z,7,n\n'));
    const choice = { label: '50%', features: ['a,b', 'größe', 'kind'], categorical: ['a,b', 'größe', 'kind'], scaling: 'minmax' as const, missing: 'impute' as const, notNumbersAsMissing: true, maxCategories: 9 };
    const s = fileState((s) => {
      s.own.table = specOf(choice, profiles);
    });
    const back = roundTrip(s);
    expect(choiceOf(back.own.table, profiles)).to.deep.equal({ choice, notes: [] });
  });

  it('maxcat below 1 or not whole is refused with a message, not silently changed', () => {
    // maxcat=0 and maxcat=-5 become 1, maxcat=2.6 becomes 3, with no line in `errors`: every other
    // invalid value keeps its default and is reported (url-state.ts: "Parsing never throws: an
    // unknown or invalid value keeps its default and adds a line to `errors`").
    for (const bad of ['0', '-5', '2.6']) {
      const { state, errors } = parseLabState(`?dataset=file&maxcat=${bad}`);
      expect(errors, bad).to.have.length(1);
      expect(errors[0]).to.match(new RegExp(`^ignored maxcat=${bad.replace('.', '\\.')}: `));
      expect(state.own.table.maxCategories).to.equal(defaultLabState().own.table.maxCategories);
    }
  });

  it('an empty label= means the proposed label (null), not a column named ""', () => {
    // label= sets the label to '' (no column can be named ''; a blank header becomes "column N"), so
    // choiceOf adds the note 'the label column "" is not in this table', and the address writes label= back.
    const { state, errors } = parseLabState('?dataset=file&label=');
    expect(errors).to.deep.equal([]);
    expect(state.own.table.label).to.equal(null);
    expect(serializeLabState(state)).to.not.contain('label=');
  });
});
