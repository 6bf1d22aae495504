// How a person's own data is described in the Lab's state (and so in its address): which file (name
// and SHA-256), and the choices made for it. A table's choice is kept as differences from what the
// lab proposes for any table (the label; unused columns; numeric columns one-hot encoded), so that
// an address stays short for a table of 1,000 columns and still means the same once the file is read.
import { DEFAULT_IMAGE_OPTIONS, type ImageLoadOptions } from '../training/datasets/images/image-limits';
import { DEFAULT_MAX_CATEGORIES, proposeChoice } from '../training/datasets/table/profile';
import type { ColumnProfile, TableChoice } from '../training/datasets/table/table';

export interface TableSpec {
  label: string | null; // null: the proposed label column
  skip: string[]; // columns (not empty, not the label) left out of the features
  cat: string[]; // numeric feature columns one-hot encoded (text columns always are)
  scaling: TableChoice['scaling'];
  missing: TableChoice['missing'];
  notNumbersAsMissing: boolean;
  maxCategories: number;
}

export interface OwnDataSpec {
  name: string; // the file's or folder's name; '' while none is chosen
  sha256: string; // of the file's bytes (a table, a zip) or the folder hash; '' while none
  table: TableSpec;
  image: ImageLoadOptions;
}

export const DEFAULT_TABLE_SPEC: Readonly<TableSpec> = Object.freeze({
  label: null, skip: [], cat: [], scaling: 'standard', missing: 'drop', notNumbersAsMissing: false, maxCategories: DEFAULT_MAX_CATEGORIES,
});

export function defaultOwnDataSpec(): OwnDataSpec {
  return { name: '', sha256: '', table: structuredClone({ ...DEFAULT_TABLE_SPEC }) as TableSpec, image: { ...DEFAULT_IMAGE_OPTIONS } };
}

/** The choice a spec means for a table with these columns; `notes` name what the table lacks. */
export function choiceOf(spec: TableSpec, profiles: readonly ColumnProfile[]): { choice: TableChoice; notes: string[] } {
  const proposed = proposeChoice(profiles);
  const notes: string[] = [];
  const byName = new Map(profiles.map((p) => [p.name, p]));
  let label = proposed.label;
  if (spec.label !== null) {
    const named = byName.get(spec.label);
    if (named && named.type !== 'empty') label = spec.label;
    else if (named) notes.push(`the label column "${spec.label}" is empty; proposed "${proposed.label}" instead`);
    else notes.push(`the label column "${spec.label}" is not in this table; proposed "${proposed.label}" instead`);
  }
  for (const name of [...spec.skip, ...spec.cat]) {
    if (!byName.has(name)) notes.push(`column "${name}" is not in this table`);
  }
  const skip = new Set(spec.skip);
  const features = profiles.filter((p) => p.name !== label && p.type !== 'empty' && !skip.has(p.name));
  const cat = new Set(spec.cat);
  const categorical = features.filter((p) => p.type === 'categorical' || cat.has(p.name)).map((p) => p.name);
  const { scaling, missing, notNumbersAsMissing, maxCategories } = spec;
  return { choice: { label, features: features.map((p) => p.name), categorical, scaling, missing, notNumbersAsMissing, maxCategories }, notes };
}

/** The spec of a choice made for a table with these columns (the inverse of choiceOf). */
export function specOf(choice: TableChoice, profiles: readonly ColumnProfile[]): TableSpec {
  const proposedLabel = proposeChoice(profiles).label;
  const used = new Set(choice.features);
  const categorical = new Set(choice.categorical);
  return {
    label: choice.label === proposedLabel ? null : choice.label,
    skip: profiles.filter((p) => p.name !== choice.label && p.type !== 'empty' && !used.has(p.name)).map((p) => p.name),
    cat: profiles.filter((p) => p.type !== 'categorical' && used.has(p.name) && categorical.has(p.name)).map((p) => p.name),
    scaling: choice.scaling,
    missing: choice.missing,
    notNumbersAsMissing: choice.notNumbersAsMissing,
    maxCategories: choice.maxCategories,
  };
}
