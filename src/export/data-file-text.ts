// What SUMMARY.txt and README.txt say about a run's own data (config.json data_file: the table as
// read and prepared, or the image set) and about its loss's class weights, as "Label: value" pairs
// that each file lays out its own way. Names from the data are printed as they are (plain text).
import type { DataFile, LabRunRecord } from '../recorder/run-record';
import { colorText } from '../training/datasets/images/image-limits';
import type { ImageSetInfo } from '../training/datasets/images/image-provenance';
import type { FittedInput, FittedPreprocessing, NumericScaler } from '../training/datasets/table/preprocess-types';
import { thousands } from './text-format';

export type Pairs = [string, string][];

/** Skipped image files and categories listed by name; the rest are counted (config.json has all). */
const LISTED = 5;
const LISTED_CATEGORIES = 20;

const quote = (s: string): string => `"${s}"`;
const bytes = (n: number): string => `${thousands(n)} bytes`;
const count = (n: number, one: string, many = `${one}s`): string => `${thousands(n)} ${n === 1 ? one : many}`;
/** A fitted value, short: 6 significant digits (config.json has it in full). */
const short = (x: number): string => String(Number(x.toPrecision(6)));
const DELIMITERS = new Map([[',', 'comma (,)'], [';', 'semicolon (;)'], ['\t', 'tab'], ['|', 'pipe (|)']]);

function scalerText(s: NumericScaler): string {
  if (s.scaling === 'standard') return `standardized, (x − ${short(s.mean)}) / ${short(s.std)}`;
  if (s.scaling === 'minmax') return `min-max scaled, min ${short(s.min)}, max ${short(s.max)}`;
  return 'not scaled';
}

function inputText(input: FittedInput, p: FittedPreprocessing): string {
  const r = p.rows;
  const filled = r.imputed.find((x) => x.column === input.column);
  const cells = filled ? filled.train + filled.val + filled.test : 0;
  const fill = input.impute === null ? '' : `; missing → ${input.kind === 'numeric' ? `${short(input.impute)} (train mean)` : `${quote(input.impute)} (most frequent in train)`}, ${count(cells, 'cell')} filled`;
  if (input.kind === 'categorical') {
    const cats = input.categories;
    const more = cats.length > LISTED_CATEGORIES ? `, … and ${cats.length - LISTED_CATEGORIES} more` : '';
    return `${quote(input.column)}: categorical, one-hot over ${count(cats.length, 'category', 'categories')} (${cats.slice(0, LISTED_CATEGORIES).map(quote).join(', ')}${more})${fill}`;
  }
  const notNumbers = r.notNumbers.find((x) => x.column === input.column)?.cells ?? 0;
  const odd = notNumbers > 0 ? `; ${count(notNumbers, 'cell')} not a number, read as missing` : '';
  return `${quote(input.column)}: numeric, ${scalerText(input.scaler)}${odd}${fill}`;
}

function missingRule(p: FittedPreprocessing): string {
  const r = p.rows;
  if (p.options.missing === 'drop') {
    const per = r.droppedByColumn.filter((x) => x.rows > 0).map((x) => `${quote(x.column)} ${thousands(x.rows)}`);
    return `drop: ${count(r.droppedMissing, 'row')} with a missing feature value dropped before the split${per.length ? ` (missing ${per.join(', ')})` : ''}`;
  }
  const sum = (k: 'train' | 'val' | 'test') => r.imputed.reduce((a, x) => a + x[k], 0);
  const total = sum('train') + sum('val') + sum('test');
  return `impute: missing cells filled with the train mean (numeric) or most frequent train value (categorical): ${count(total, 'cell')} (train ${thousands(sum('train'))}, validation ${thousands(sum('val'))}, test ${thousands(sum('test'))})`;
}

function tablePairs(f: Extract<DataFile, { kind: 'table' }>): Pairs {
  const p = f.preprocessing;
  const r = p.rows;
  const scaling = { standard: 'standardized ((x − mean) / std)', minmax: 'min-max ((x − min) / (max − min))', none: 'none' }[p.options.scaling];
  return [
    ['Data file', `${quote(f.name)} (${bytes(f.bytes)}, ${count(f.rows, 'data row')}, ${count(f.columns, 'column')})`],
    ['File SHA-256', f.sha256],
    ['Read as', `${f.encoding}, ${DELIMITERS.get(f.delimiter) ?? JSON.stringify(f.delimiter)} separated, ${f.has_header ? 'header in the first row' : 'no header row (columns named "column 1", "column 2", …)'}, decimal ${f.decimal_comma ? 'comma ("3,14" is 3.14)' : 'point'}`],
    ['Missing', `empty, or ${p.cells.missingMarkers.map(quote).join(', ')} in any letter case${p.options.notNumbersAsMissing ? '; in a numeric column, any cell that is not a number' : ''}`],
    ['Label column', `${quote(p.label.column)} (${count(p.label.classes.length, 'class', 'classes')})`],
    ['Rows', `${thousands(r.total)} in the file, ${thousands(r.droppedNoLabel)} without a label dropped, ${thousands(r.kept)} used: train ${thousands(r.train)}, validation ${thousands(r.val)}, test ${thousands(r.test)}`],
    ['If missing', missingRule(p)],
    ['Scaling', scaling],
    ['Features', `${count(p.inputs.length, 'column')} → ${count(p.outputNames.length, 'model input')} (order: config.json data_file.preprocessing.outputNames)`],
    ...p.inputs.map((input): [string, string] => ['', inputText(input, p)]),
    ['Unseen', `a category not seen in train is encoded as ${p.unseenCategory}`],
    ['Fitted on', `the train split only (${count(r.train, 'row')}): every mean, scale, category and fill value; validation, test and new rows are transformed with them`],
  ];
}

function imagePairs(f: Extract<DataFile, { kind: 'images' }>, i: ImageSetInfo): Pairs {
  const o = i.options;
  const zip = i.source === 'zip';
  const skipped = i.skipped.slice(0, LISTED).map((s): [string, string] => ['', `${s.path}: ${s.reason}`]);
  if (i.skipped.length > LISTED) skipped.push(['', `… and ${i.skipped.length - LISTED} more (config.json data_file.images.skipped)`]);
  return [
    ['Image set', `${zip ? 'zip' : 'folder'} ${quote(f.name)} (${bytes(f.bytes)})${i.root ? `, class folders under ${quote(i.root)}` : ''}`],
    ['SHA-256', `${f.sha256} (${zip ? 'of the zip file' : 'folder hash'})`],
    ...(zip ? [['Folder hash', `${i.folderSha256} (sha256sum of the images used)`] as [string, string]] : []),
    ['Images', `${count(i.fileCount, 'image')} (${bytes(i.totalBytes)}) in ${count(i.classes.length, 'class folder')}`],
    ['Skipped', `${count(i.skipped.length, 'file')}; ${count(i.ignored, 'system file')} ignored (__MACOSX, dotfiles, Thumbs.db)${i.emptyClasses.length ? `; left out, no image readable: ${i.emptyClasses.map(quote).join(', ')}` : ''}`],
    ...skipped,
    ['Samples', `${o.size}×${o.size} ${colorText(o.color)} (${count(o.channels, 'channel')}), values 0-1 (divided by 255)`],
    ['Resize', o.resize],
    ['Transparency', o.alpha],
    ...(o.color === 'grayscale' ? [['Grayscale', o.grayscale] as [string, string]] : []),
  ];
}

/** Where the data came from, for a run on its own data; [] for a built-in set. */
export function dataFilePairs(record: LabRunRecord): Pairs {
  const f = record.dataset.data_file;
  if (!f) return [];
  return f.kind === 'table' ? tablePairs(f) : imagePairs(f, f.images);
}

/** The loss, when it was weighted by class (every loss the run reports is weighted the same way); [] otherwise. */
export function classWeightPairs(record: LabRunRecord): Pairs {
  if (!record.config.class_weights) return [];
  return [['Loss', 'weighted cross-entropy with balanced class weights, n / (k × n_c) from the train split (Weight, below); every loss reported is weighted the same way']];
}

/** How a new sample must be prepared for the model, as in training. */
export function inputPreparation(record: LabRunRecord): string {
  const f = record.dataset.data_file;
  if (f?.kind === 'table') return 'prepared with config.json data_file.preprocessing: numeric columns scaled and missing values filled with its train-split values, categorical ones one-hot encoded, in the order of its outputNames';
  if (f?.kind === 'images') {
    const o = f.images.options;
    return `each image scaled to cover ${o.size}×${o.size}, centre-cropped, ${colorText(o.color)}, values divided by 255`;
  }
  return record.config.standardized ? "standardized with the training split's mean and std" : 'no standardization';
}
