// The validators of a record's own data (dataset.data_file, schema 3): the file as read, the table's
// fitted preprocessing and the image set's provenance. Every field is checked and a new object built
// from what was checked (unknown keys are dropped); nothing is cast.
import { COLOR_MODES, IMAGE_SIZES } from '../training/datasets/images/image-limits';
import type { ImageSetInfo, ImageSetOptions } from '../training/datasets/images/image-provenance';
import type { MemoryEstimate } from '../training/datasets/images/image-limits';
import type { SkippedFile } from '../training/datasets/images/image-files';
import type { FittedInput, FittedPreprocessing, NumericScaler, RowCounts } from '../training/datasets/table/preprocess-types';
import type { DataFile } from './run-record';
import { arrayOf, Fields, int, nullable, num, oneOf, optional, str } from './run-record-fields';
import type { Parser } from './run-record-fields';

const strs = arrayOf(str);
const scalings = oneOf(['standard', 'minmax', 'none'] as const);

const scaler: Parser<NumericScaler> = (v, p) => {
  const f = Fields.of(v, p);
  const scaling = f.get('scaling', scalings);
  if (scaling === 'standard') return { scaling, mean: f.num('mean'), std: f.num('std') };
  if (scaling === 'minmax') return { scaling, min: f.num('min'), max: f.num('max') };
  return { scaling };
};

const fittedInput: Parser<FittedInput> = (v, p) => {
  const f = Fields.of(v, p);
  const kind = f.get('kind', oneOf(['numeric', 'categorical'] as const));
  const column = f.str('column');
  if (kind === 'numeric') return { column, kind, impute: f.get('impute', nullable(num)), scaler: f.get('scaler', scaler) };
  return { column, kind, impute: f.get('impute', nullable(str)), categories: f.get('categories', strs) };
};

const droppedRows: Parser<RowCounts['droppedByColumn'][number]> = (v, p) => {
  const f = Fields.of(v, p);
  return { column: f.str('column'), rows: f.int('rows') };
};

const notNumberCells: Parser<RowCounts['notNumbers'][number]> = (v, p) => {
  const f = Fields.of(v, p);
  return { column: f.str('column'), cells: f.int('cells') };
};

const imputed: Parser<RowCounts['imputed'][number]> = (v, p) => {
  const f = Fields.of(v, p);
  return { column: f.str('column'), train: f.int('train'), val: f.int('val'), test: f.int('test') };
};

const rowCounts: Parser<RowCounts> = (v, p) => {
  const f = Fields.of(v, p);
  return {
    total: f.int('total'), droppedNoLabel: f.int('droppedNoLabel'), droppedMissing: f.int('droppedMissing'),
    droppedByColumn: f.get('droppedByColumn', arrayOf(droppedRows)),
    notNumbers: f.get('notNumbers', arrayOf(notNumberCells)),
    imputed: f.get('imputed', arrayOf(imputed)),
    kept: f.int('kept'), train: f.int('train'), val: f.int('val'), test: f.int('test'),
  };
};

/** The preprocessing fitted on a table's train split (preprocess-types.ts). */
export const fittedPreprocessing: Parser<FittedPreprocessing> = (v, p) => {
  const f = Fields.of(v, p);
  const label = f.sub('label');
  const o = f.sub('options');
  const cells = f.sub('cells');
  return {
    fittedOn: f.get('fittedOn', oneOf(['train'] as const)),
    label: { column: label.str('column'), classes: label.get('classes', strs) },
    options: {
      scaling: o.get('scaling', scalings),
      missing: o.get('missing', oneOf(['drop', 'impute'] as const)),
      notNumbersAsMissing: o.bool('notNumbersAsMissing'),
      maxCategories: o.int('maxCategories'),
    },
    cells: { missingMarkers: cells.get('missingMarkers', strs), decimalComma: cells.bool('decimalComma') },
    unseenCategory: f.get('unseenCategory', oneOf(['all zeros'] as const)),
    inputs: f.get('inputs', arrayOf(fittedInput)),
    outputNames: f.get('outputNames', strs),
    rows: f.get('rows', rowCounts),
  };
};

const imageOptions: Parser<ImageSetOptions> = (v, p) => {
  const f = Fields.of(v, p);
  return {
    size: f.get('size', oneOf(IMAGE_SIZES)), color: f.get('color', oneOf(COLOR_MODES)), channels: f.get('channels', oneOf([1, 3] as const)),
    resize: f.str('resize'), alpha: f.str('alpha'), grayscale: f.str('grayscale'),
  };
};

const skippedFile: Parser<SkippedFile> = (v, p) => {
  const f = Fields.of(v, p);
  return { path: f.str('path'), reason: f.str('reason') };
};

const memory: Parser<MemoryEstimate> = (v, p) => {
  const f = Fields.of(v, p);
  return {
    images: f.int('images'), bytesPerImage: f.int('bytesPerImage'), datasetBytes: f.int('datasetBytes'), factor: f.num('factor'),
    estimatedBytes: f.num('estimatedBytes'), budgetBytes: f.num('budgetBytes'), hardLimitBytes: f.num('hardLimitBytes'),
    level: f.get('level', oneOf(['ok', 'warn', 'refuse'] as const)), message: f.get('message', nullable(str)),
  };
};

const imageClass: Parser<ImageSetInfo['classes'][number]> = (v, p) => {
  const f = Fields.of(v, p);
  return { name: f.str('name'), count: f.int('count') };
};

/** Where an image set came from (image-provenance.ts). */
export const imageSetInfo: Parser<ImageSetInfo> = (v, p) => {
  const f = Fields.of(v, p);
  const zipSha256 = f.get('zipSha256', optional(str));
  const zipBytes = f.get('zipBytes', optional(int));
  return {
    source: f.get('source', oneOf(['folder', 'zip'] as const)), name: f.str('name'), root: f.str('root'),
    options: f.get('options', imageOptions), folderSha256: f.str('folderSha256'),
    ...(zipSha256 !== undefined ? { zipSha256 } : {}),
    ...(zipBytes !== undefined ? { zipBytes } : {}),
    fileCount: f.int('fileCount'), totalBytes: f.int('totalBytes'),
    classes: f.get('classes', arrayOf(imageClass)), emptyClasses: f.get('emptyClasses', strs),
    skipped: f.get('skipped', arrayOf(skippedFile)), ignored: f.int('ignored'),
    memory: f.get('memory', memory),
  };
};

/** A person's own data: a table with its fitted preprocessing, or an image set. */
export const dataFile: Parser<DataFile> = (v, p) => {
  const f = Fields.of(v, p);
  const kind = f.get('kind', oneOf(['table', 'images'] as const));
  const common = { name: f.str('name'), bytes: f.int('bytes'), sha256: f.str('sha256') };
  if (kind === 'images') return { kind, ...common, images: f.get('images', imageSetInfo) };
  return {
    kind, ...common,
    encoding: f.str('encoding'), delimiter: f.str('delimiter'), decimal_comma: f.bool('decimal_comma'), has_header: f.bool('has_header'),
    rows: f.int('rows'), columns: f.int('columns'),
    preprocessing: f.get('preprocessing', fittedPreprocessing),
  };
};
