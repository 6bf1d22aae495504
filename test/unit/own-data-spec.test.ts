// How a person's table choice is kept in the Lab state (own-data-spec.ts): choiceOf / specOf on
// profiles of real parsed tables (readTable + profileTable), not hand-written profiles.
import { expect } from '@esm-bundle/chai';
import { choiceOf, DEFAULT_TABLE_SPEC, specOf, type TableSpec } from '../../src/app/own-data-spec';
import { readTable } from '../../src/training/datasets/table/csv-read';
import { profileTable, proposeChoice } from '../../src/training/datasets/table/profile';
import type { ColumnProfile, TableChoice } from '../../src/training/datasets/table/table';

const ISLANDS = ['Biscoe', 'Dream', 'Torgersen'];
const SPECIES = ['Adelie', 'Chinstrap', 'Gentoo'];

/** A penguins-like table: a label named "species", text and numeric columns, a year, an empty "notes". */
function penguins(rows = 40): string {
  const lines = ['island,bill_length,bill_depth,flipper,year,sex,notes,species,body_mass'];
  for (let i = 0; i < rows; i++) {
    lines.push([ISLANDS[i % 3], (35 + ((i * 7) % 150) / 10).toFixed(1), (13 + ((i * 3) % 60) / 10).toFixed(1), 170 + ((i * 11) % 60), 2007 + (i % 3),
      i % 2 ? 'male' : 'female', '', SPECIES[(i * 5) % 3], 3000 + i * 37].join(','));
  }
  return lines.join('\n');
}

async function profilesOf(text: string): Promise<ColumnProfile[]> {
  return profileTable(await readTable(text));
}

const spec = (patch: Partial<TableSpec> = {}): TableSpec => ({ ...structuredClone({ ...DEFAULT_TABLE_SPEC }), ...patch });

describe('own-data spec: choiceOf and specOf', () => {
  let profiles: ColumnProfile[];
  before(async () => {
    profiles = await profilesOf(penguins());
    // The table is what the tests assume it is.
    expect(profiles.map((p) => `${p.name}:${p.type}`)).to.deep.equal([
      'island:categorical', 'bill_length:numeric', 'bill_depth:numeric', 'flipper:numeric', 'year:numeric',
      'sex:categorical', 'notes:empty', 'species:categorical', 'body_mass:numeric',
    ]);
  });

  it('the default spec means the proposed choice, and the proposed choice is the default spec', () => {
    const { choice, notes } = choiceOf(spec(), profiles);
    expect(notes).to.deep.equal([]);
    expect(choice).to.deep.equal(proposeChoice(profiles));
    expect(choice.label).to.equal('species');
    expect(choice.features).to.deep.equal(['island', 'bill_length', 'bill_depth', 'flipper', 'year', 'sex', 'body_mass']);
    expect(choice.categorical).to.deep.equal(['island', 'sex']);
    expect(specOf(choice, profiles)).to.deep.equal(spec());
  });

  it('an explicit label replaces the proposal; the proposed label column becomes a feature; choosing the proposed label writes null', () => {
    const { choice, notes } = choiceOf(spec({ label: 'island' }), profiles);
    expect(notes).to.deep.equal([]);
    expect(choice.label).to.equal('island');
    expect(choice.features).to.deep.equal(['bill_length', 'bill_depth', 'flipper', 'year', 'sex', 'species', 'body_mass']);
    expect(choice.categorical).to.deep.equal(['sex', 'species']);
    expect(specOf(choice, profiles)).to.deep.equal(spec({ label: 'island' }));
    expect(specOf({ ...proposeChoice(profiles), label: 'species' }, profiles).label).to.equal(null);
    // A label named in the spec that is also skipped or made categorical is still the label, never a feature.
    const both = choiceOf(spec({ label: 'year', skip: ['year'], cat: ['year'] }), profiles).choice;
    expect(both.label).to.equal('year');
    expect(both.features).to.not.include('year');
    expect(both.categorical).to.not.include('year');
  });

  it('skipped columns are left out of the features and come back as skip, in table order', () => {
    const { choice } = choiceOf(spec({ skip: ['sex', 'bill_depth'] }), profiles);
    expect(choice.features).to.deep.equal(['island', 'bill_length', 'flipper', 'year', 'body_mass']);
    expect(choice.categorical).to.deep.equal(['island']);
    expect(specOf(choice, profiles).skip).to.deep.equal(['bill_depth', 'sex']);
  });

  it('numeric columns made categorical are kept as cat; text columns are categorical whatever the spec says', () => {
    const { choice } = choiceOf(spec({ cat: ['year', 'flipper', 'island'] }), profiles);
    expect(choice.categorical).to.deep.equal(['island', 'flipper', 'year', 'sex']);
    expect(specOf(choice, profiles).cat, 'only the numeric ones are written').to.deep.equal(['flipper', 'year']);
    // A choice that leaves a text column numeric cannot be kept: read back, it is categorical again.
    const textAsNumber: TableChoice = { ...proposeChoice(profiles), categorical: ['sex'] };
    expect(choiceOf(specOf(textAsNumber, profiles), profiles).choice.categorical).to.deep.equal(['island', 'sex']);
    // A skipped numeric column made categorical is not written as cat.
    expect(specOf({ ...choice, features: choice.features.filter((f) => f !== 'year') }, profiles).cat).to.deep.equal(['flipper']);
  });

  it('an empty column is never a feature: not when made categorical, not when a choice lists it, and it is never written as skipped', () => {
    const { choice } = choiceOf(spec({ cat: ['notes'] }), profiles);
    expect(choice.features).to.not.include('notes');
    expect(choice.categorical).to.not.include('notes');
    const listed: TableChoice = { ...proposeChoice(profiles), features: [...proposeChoice(profiles).features, 'notes'] };
    const s = specOf(listed, profiles);
    expect(s.skip).to.deep.equal([]);
    expect(choiceOf(s, profiles).choice.features).to.not.include('notes');
    expect(specOf({ ...proposeChoice(profiles), features: [] }, profiles).skip).to.deep.equal(['island', 'bill_length', 'bill_depth', 'flipper', 'year', 'sex', 'body_mass']);
  });

  it('round-trips every kind of choice: choiceOf(specOf(c)) is c', () => {
    const p = proposeChoice(profiles);
    const choices: TableChoice[] = [
      p,
      { ...p, label: 'sex', features: ['island', 'bill_length', 'year', 'species'], categorical: ['island', 'year', 'species'] },
      { ...p, features: ['flipper'], categorical: ['flipper'], scaling: 'minmax', missing: 'impute', notNumbersAsMissing: true, maxCategories: 7 },
      { ...p, label: 'year', features: ['island', 'body_mass'], categorical: ['island'], scaling: 'none' },
    ];
    for (const c of choices) {
      const back = choiceOf(specOf(c, profiles), profiles);
      expect(back.notes, JSON.stringify(c)).to.deep.equal([]);
      expect(back.choice, JSON.stringify(c)).to.deep.equal(c);
    }
  });

  it('the same spec on another table: notes name every column it lacks, and the rest still applies', async () => {
    const other = await profilesOf('island,flipper,kind\nDream,180,a\nBiscoe,200,b\nDream,190,a\nBiscoe,210,b\n');
    const { choice, notes } = choiceOf(spec({ label: 'species', skip: ['sex', 'island'], cat: ['flipper', 'year'] }), other);
    expect(notes).to.deep.equal([
      'the label column "species" is not in this table; proposed "kind" instead',
      'column "sex" is not in this table',
      'column "year" is not in this table',
    ]);
    expect(choice).to.deep.include({ label: 'kind', features: ['flipper'], categorical: ['flipper'] });
  });

  it('a table without a header: its columns are "column N", and a spec naming them applies', async () => {
    const noHeader = profileTable(await readTable('1.5,red,a\n2.5,blue,b\n3.5,red,a\n4.5,blue,b\n', { hasHeader: false }));
    expect(noHeader.map((p) => p.name)).to.deep.equal(['column 1', 'column 2', 'column 3']);
    const { choice, notes } = choiceOf(spec({ label: 'column 2', cat: ['column 1'] }), noHeader);
    expect(notes).to.deep.equal([]);
    expect(choice).to.deep.include({ label: 'column 2', features: ['column 1', 'column 3'], categorical: ['column 1', 'column 3'] });
    expect(specOf(choice, noHeader)).to.deep.equal(spec({ label: 'column 2', cat: ['column 1'] }));
  });

  it('names with commas, quotes, unicode and __proto__ are columns like any other', async () => {
    const odd = await profilesOf('"a,b",größe 📏,__proto__,constructor,label\n1,x,3,4,y\n2,z,5,6,n\n3,x,7,8,y\n4,z,9,1,n\n');
    const { choice } = choiceOf(spec({ skip: ['__proto__'], cat: ['a,b', 'constructor'] }), odd);
    expect(choice).to.deep.include({ label: 'label', features: ['a,b', 'größe 📏', 'constructor'], categorical: ['a,b', 'größe 📏', 'constructor'] });
    expect(specOf(choice, odd)).to.deep.equal(spec({ skip: ['__proto__'], cat: ['a,b', 'constructor'] }));
  });

  it('a spec naming an empty column as the label keeps the proposed label and says why', () => {
    // choiceOf accepts any column the table has as the label, an empty one too ("notes": no value
    // in any row), which no row can train on; a missing column gets the proposal and a note.
    const { choice, notes } = choiceOf(spec({ label: 'notes' }), profiles);
    expect(choice.label).to.equal('species');
    expect(notes).to.have.length(1);
    expect(notes[0]).to.match(/"notes"/);
  });
});
