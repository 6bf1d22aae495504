// Schema 3 on read: class weights, a person's own data (dataset.data_file) checked field by field,
// the lab narrowing's rules for them, and the v2 → v3 step for imported records.
import { expect } from '@esm-bundle/chai';
import type { DataFile, RunRecord } from '../../src/recorder/run-record';
import { dataFile } from '../../src/recorder/run-record-data-file';
import { isObject } from '../../src/recorder/run-record-fields';
import { labRecord, migrateRunRecord, RunRecordError, validateLabRecord, validateRunRecord } from '../../src/recorder/run-record-validate';
import { loadImageSet } from '../../src/training/datasets/images/image-client';
import { prepareTable } from '../../src/training/datasets/table/preprocess';
import { profileTable } from '../../src/training/datasets/table/profile';
import { completedRecord } from '../helpers/run-fixtures';
import { folder, solid } from '../browser/image-fixtures';
import { ownImagesRun, ownTableRun } from '../fixtures/own-data-records';
import { choice, people, RATIOS } from './preprocess-fixtures';

const json = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** A JSON copy of `v` with each dotted path (`a.b.0.c`) set to its value; undefined deletes it. */
function edit(v: unknown, ...changes: [string, unknown][]): unknown {
  const copy: unknown = json(v);
  for (const [path, value] of changes) {
    const keys = path.split('.');
    let node: unknown = copy;
    for (const k of keys.slice(0, -1)) node = Array.isArray(node) ? node[Number(k)] : isObject(node) ? node[k] : undefined;
    const last = keys[keys.length - 1];
    if (Array.isArray(node)) node[Number(last)] = value;
    else if (!isObject(node)) throw new Error(`no object at ${path}`);
    else if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return copy;
}

function expectError(x: unknown, message: string, path: string): void {
  try {
    validateRunRecord(x);
  } catch (e) {
    expect(e).to.be.instanceOf(RunRecordError);
    expect((e as RunRecordError).message).to.equal(message);
    expect((e as RunRecordError).path).to.equal(path);
    return;
  }
  expect.fail(`no error for: ${message}`);
}

const table = () => ownTableRun().record;
const images = () => ownImagesRun().record;

describe('schema 3: own data and class weights are read field by field', () => {
  it('a run on its own table and one on its own images read back whole, also after a JSON round trip', () => {
    for (const r of [table(), images()]) {
      expect(validateLabRecord(json(r))).to.deep.equal(r);
      expect(validateLabRecord(r)).to.not.equal(r);
    }
    expect(table().config).to.include({ class_weights: true });
    expect(images().dataset.data_file?.kind).to.equal('images');
  });

  it('drops unknown keys at every level of the data file', () => {
    const f = 'dataset.data_file';
    const t = edit(table(), ...[
      `${f}.extra`, `${f}.preprocessing.extra`, `${f}.preprocessing.inputs.0.extra`, `${f}.preprocessing.inputs.0.scaler.extra`,
      `${f}.preprocessing.rows.imputed.1.extra`, `${f}.preprocessing.label.extra`, `${f}.preprocessing.options.extra`, `${f}.preprocessing.cells.extra`,
    ].map((p, i): [string, unknown] => [p, i]));
    expect(validateLabRecord(t)).to.deep.equal(table());
    const i = edit(images(), ...[
      `${f}.preprocessing`, `${f}.images.extra`, `${f}.images.options.extra`, `${f}.images.memory.extra`, `${f}.images.skipped.0.extra`, `${f}.images.classes.0.extra`,
    ].map((p, k): [string, unknown] => [p, k]));
    expect(validateLabRecord(i)).to.deep.equal(images());
  });

  const cases: [string, () => unknown, string][] = [
    ['a data file of no known kind', () => edit(table(), ['dataset.data_file.kind', 'video']), 'dataset.data_file.kind must be one of "table", "images" (got "video")'],
    ['a byte count that is no count', () => edit(table(), ['dataset.data_file.bytes', -1]), 'dataset.data_file.bytes must be a non-negative integer (got -1)'],
    ['a table without its preprocessing', () => edit(table(), ['dataset.data_file.preprocessing', undefined]), 'dataset.data_file.preprocessing must be an object (got nothing)'],
    ['a scaler with a mean that is text', () => edit(table(), ['dataset.data_file.preprocessing.inputs.1.scaler.mean', '26.6']), 'dataset.data_file.preprocessing.inputs[1].scaler.mean must be a number (got "26.6")'],
    ['a scaler of no known kind', () => edit(table(), ['dataset.data_file.preprocessing.inputs.0.scaler', { scaling: 'log' }]), 'dataset.data_file.preprocessing.inputs[0].scaler.scaling must be one of "standard", "minmax", "none" (got "log")'],
    ['a numeric fill value that is text', () => edit(table(), ['dataset.data_file.preprocessing.inputs.0.impute', 'mean']), 'dataset.data_file.preprocessing.inputs[0].impute must be a number (got "mean")'],
    ['categories that are no array', () => edit(table(), ['dataset.data_file.preprocessing.inputs.3.categories', 'east']), 'dataset.data_file.preprocessing.inputs[3].categories must be an array (got "east")'],
    ['a category that is a number', () => edit(table(), ['dataset.data_file.preprocessing.inputs.2.categories.1', 1]), 'dataset.data_file.preprocessing.inputs[2].categories[1] must be a string (got 1)'],
    ['preprocessing fitted on more than the train split', () => edit(table(), ['dataset.data_file.preprocessing.fittedOn', 'all']), 'dataset.data_file.preprocessing.fittedOn must be one of "train" (got "all")'],
    ['an unknown missing-value rule', () => edit(table(), ['dataset.data_file.preprocessing.options.missing', 'zero']), 'dataset.data_file.preprocessing.options.missing must be one of "drop", "impute" (got "zero")'],
    ['a row count that is NaN in JSON (null)', () => edit(table(), ['dataset.data_file.preprocessing.rows.kept', null]), 'dataset.data_file.preprocessing.rows.kept must be a non-negative integer (got null)'],
    ['an imputed count per split that is fractional', () => edit(table(), ['dataset.data_file.preprocessing.rows.imputed.1.val', 0.5]), 'dataset.data_file.preprocessing.rows.imputed[1].val must be a non-negative integer (got 0.5)'],
    ['a header flag that is text', () => edit(table(), ['dataset.data_file.has_header', 'yes']), 'dataset.data_file.has_header must be true or false (got "yes")'],
    ['an image size not offered', () => edit(images(), ['dataset.data_file.images.options.size', 33]), 'dataset.data_file.images.options.size must be one of 28, 32, 64 (got 33)'],
    ['a colour mode not offered', () => edit(images(), ['dataset.data_file.images.options.color', 'cmyk']), 'dataset.data_file.images.options.color must be one of "grayscale", "rgb" (got "cmyk")'],
    ['a skipped file without its reason', () => edit(images(), ['dataset.data_file.images.skipped.2.reason', undefined]), 'dataset.data_file.images.skipped[2].reason must be a string (got nothing)'],
    ['a class count that is negative', () => edit(images(), ['dataset.data_file.images.classes.1.count', -3]), 'dataset.data_file.images.classes[1].count must be a non-negative integer (got -3)'],
    ['a memory level not known', () => edit(images(), ['dataset.data_file.images.memory.level', 'fine']), 'dataset.data_file.images.memory.level must be one of "ok", "warn", "refuse" (got "fine")'],
    ['a zip hash that is a number', () => edit(images(), ['dataset.data_file.images.zipSha256', 12]), 'dataset.data_file.images.zipSha256 must be a string (got 12)'],
    ['class weights that are not true or false', () => edit(table(), ['config.class_weights', 'balanced']), 'config.class_weights must be true or false (got "balanced")'],
    ['a class weight that is text', () => edit(table(), ['config.class_weight_values.2', 'x']), 'config.class_weight_values[2] must be a number (got "x")'],
    ['a class weight that was Infinity (null in JSON)', () => edit(table(), ['config.class_weight_values.0', null]), 'config.class_weight_values[0] must be a number (got null)'],
    ['one class weight too few', () => edit(table(), ['config.class_weight_values', [0.5, 1]]), 'config.class_weight_values must have 3 entries, one per class (got 2)'],
  ];
  for (const [what, make, message] of cases) {
    it(`reports ${what}`, () => expectError(make(), `run record: ${message}`, message.split(' ')[0]));
  }

  it('a data file of an imported run (any origin) is checked too; non-finite numbers are refused', () => {
    const imported = { ...json(table()), origin: { kind: 'imported', file: 'x.zip', path: '', format: 'trainlab', imported_at: '2026-12-01T10:00:00.000+01:00' } };
    expect(validateRunRecord(imported).dataset.data_file).to.deep.equal(table().dataset.data_file);
    const bad = edit(imported, ['dataset.data_file.preprocessing.inputs.0.scaler.std', 'Infinity']);
    expectError(bad, 'run record: dataset.data_file.preprocessing.inputs[0].scaler.std must be a number (got "Infinity")', 'dataset.data_file.preprocessing.inputs[0].scaler.std');
    expect(() => dataFile({ ...table().dataset.data_file, bytes: Number.NaN }, 'f')).to.throw(RunRecordError, 'run record: f.bytes must be a non-negative integer (got NaN)');
  });

  it('__proto__ keys in a data file pollute nothing and are dropped; a column named __proto__ stays a name', () => {
    const text = JSON.stringify(edit(table(), ['dataset.data_file.preprocessing.inputs.0.column', '__proto__'], ['dataset.data_file.preprocessing.inputs.2.categories', ['__proto__', 'constructor']]))
      .replace('"kind":"table"', '"__proto__":{"polluted":"yes"},"kind":"table"')
      .replace('"fittedOn":"train"', '"__proto__":{"polluted":"yes"},"fittedOn":"train"');
    const r = validateLabRecord(JSON.parse(text));
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    const f = r.dataset.data_file;
    if (f?.kind !== 'table') throw new Error('not a table');
    expect(Object.getPrototypeOf(f)).to.equal(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(f, '__proto__')).to.equal(undefined);
    expect(Object.getOwnPropertyDescriptor(f.preprocessing, '__proto__')).to.equal(undefined);
    expect(f.preprocessing.inputs[0].column).to.equal('__proto__');
    expect(f.preprocessing.inputs[2]).to.deep.include({ categories: ['__proto__', 'constructor'] });
  });
});

describe('schema 3: the validators accept what the real producers write', () => {
  it("prepareTable's fitted preprocessing, as a table data file", () => {
    const t = people(60);
    const prepared = prepareTable(t, profileTable(t), choice(t, { missing: 'impute', scaling: 'minmax' }), RATIOS, 1);
    const file: DataFile = {
      kind: 'table', name: t.source.fileName, bytes: t.source.bytes, sha256: t.source.sha256, encoding: t.source.encoding, delimiter: t.source.delimiter,
      decimal_comma: t.source.decimalComma, has_header: t.source.hasHeader, rows: t.rowCount, columns: t.header.length, preprocessing: prepared.preprocessing,
    };
    expect(dataFile(json(file), 'dataset.data_file')).to.deep.equal(json(file));
    expect(prepared.preprocessing.inputs.map((i) => i.kind)).to.include.members(['numeric', 'categorical']);
  });

  it("loadImageSet's ImageSetInfo, as an images data file", async function () {
    this.timeout(30000);
    const input = folder({ 'pets/red/a.png': await solid(10, 10, [255, 0, 0, 1]), 'pets/blue/b.png': await solid(10, 10, [0, 0, 255, 1]), 'pets/blue/notes.txt': new Blob(['x']) });
    const { info } = await loadImageSet(input, { size: 28, color: 'grayscale' });
    expect(info.skipped).to.have.length(1);
    const file: DataFile = { kind: 'images', name: info.name, bytes: info.totalBytes, sha256: info.folderSha256, images: info };
    expect(dataFile(json(file), 'dataset.data_file')).to.deep.equal(json(file));
  });
});

describe('schema 3: a lab record', () => {
  const lab = (r: unknown) => () => labRecord(validateRunRecord({ ...(r as object), origin: { kind: 'imported', file: 'x.zip', path: '', format: 'trainlab', imported_at: '2026-12-01T10:00:00.000+01:00' } }));
  const cases: [string, unknown, string][] = [
    ['needs class_weights', edit(completedRecord(), ['config.class_weights', undefined]), 'config.class_weights must be present in a run trained in the lab (got nothing)'],
    ['needs class_weight_values', edit(completedRecord(), ['config.class_weight_values', undefined]), 'config.class_weight_values must be present in a run trained in the lab (got nothing)'],
    ['has weights exactly when its loss is weighted', edit(table(), ['config.class_weight_values', null]), 'config.class_weight_values must be one weight per class when config.class_weights is true (got null)'],
    ['has no weights when its loss is not weighted', edit(table(), ['config.class_weights', false]), 'config.class_weight_values must be null when config.class_weights is false (got an array)'],
    ['needs data_file', edit(completedRecord(), ['dataset.data_file', undefined]), 'dataset.data_file must be present in a run trained in the lab (got nothing)'],
    ['on its own data has its data file', edit(table(), ['dataset.data_file', null]), 'dataset.data_file must be the data file of a run on its own data (dataset.id "file") (got null)'],
    ['on a built-in set has none', edit(completedRecord(), ['dataset.data_file', table().dataset.data_file]), 'dataset.data_file must be null for the built-in dataset "spirals" (got an object)'],
    ['has a dataset id it knows', edit(table(), ['dataset.id', 'files']), 'dataset.id must be one of "spirals", "moons", "circles", "xor", "blobs", "iris", "mnist", "file" (got "files")'],
  ];
  for (const [what, record, message] of cases) {
    it(what, () => {
      expect(lab(record), 'narrowed').to.throw(RunRecordError, `run record: ${message}`);
      // Stored as trained here, the same record is damaged: validation itself refuses it.
      expect(() => validateRunRecord(record)).to.throw(RunRecordError, `run record: ${message}`);
    });
  }

  it("accepts 'file' as the config's dataset and the dataset's id", () => {
    const r = validateLabRecord(json(table()));
    expect([r.config.dataset, r.dataset.id]).to.deep.equal(['file', 'file']);
  });
});

/** A schema-2 record as the compare importer stored it from a reference folder (config.extra holds the script's other keys). */
function importedV2(extra: Record<string, unknown> | undefined): Record<string, unknown> {
  const r = json(completedRecord()) as unknown as Record<string, unknown>;
  const config = r.config as Record<string, unknown>;
  for (const k of ['class_weights', 'class_weight_values', 'lr_schedule', 'early_stopping', 'backend_requested', 'model', 'synthetic', 'standardized', 'url_query']) delete config[k];
  delete (r.dataset as Record<string, unknown>).data_file;
  if (extra) config.extra = extra;
  config.device = 'cuda';
  return { ...r, schema_version: 2, origin: { kind: 'imported', file: 'runs.zip', path: 'runs/simple_cnn_20251128_225939', format: 'reference', imported_at: '2026-12-01T10:00:00.000+01:00' } };
}

describe('schema 2 to 3: imported records', () => {
  it("moves the reference's boolean class_weights from config.extra to config.class_weights, keeping the other extras", () => {
    const r: RunRecord = validateRunRecord(importedV2({ class_weights: true, split_mode: 'beat_wise' }));
    expect(r.config.class_weights).to.equal(true);
    expect(r.config.extra).to.deep.equal({ split_mode: 'beat_wise' });
    expect(r.config).to.not.have.property('class_weight_values');
    expect(r.dataset).to.not.have.property('data_file');
    const only = validateRunRecord(importedV2({ class_weights: false }));
    expect(only.config.class_weights).to.equal(false);
    expect(only.config).to.not.have.property('extra');
  });

  it('leaves a class_weights extra that is no boolean, and a run without one, as they were', () => {
    const text = validateRunRecord(importedV2({ class_weights: 'auto' }));
    expect(text.config.extra).to.deep.equal({ class_weights: 'auto' });
    expect(text.config).to.not.have.property('class_weights');
    const none = migrateRunRecord(importedV2(undefined));
    expect(isObject(none.config) && 'class_weights' in none.config).to.equal(false);
    expect(isObject(none.config) && 'extra' in none.config).to.equal(false);
  });

  it('a schema-2 TrainLab run.zip imported keeps its lab shape: unweighted, built-in data', () => {
    const v2 = edit(completedRecord(),
      ['schema_version', 2], ['config.class_weights', undefined], ['config.class_weight_values', undefined], ['dataset.data_file', undefined],
      ['origin', { kind: 'imported', file: 'mlp.zip', path: '', format: 'trainlab', imported_at: '2026-12-01T10:00:00.000+01:00' }]);
    const r = labRecord(validateRunRecord(v2));
    expect(r.config).to.include({ class_weights: false, class_weight_values: null });
    expect(r.dataset.data_file).to.equal(null);
  });
});
