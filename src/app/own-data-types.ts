// What the own-data controller (own-data.ts) holds and the Lab shows.
import type { ImageInput, ImageSetPlan, ImageSetResult } from '../training/datasets/images/image-client';
import type { TableReadResult } from '../training/datasets/table/table-client';
import type { ReadOptions, TableChoice } from '../training/datasets/table/table';
import type { SplitRatios } from '../training/types';
import type { TableInput } from './own-data-load';
import type { OwnDataSpec } from './own-data-spec';

export interface OwnDataBusy {
  label: string;
  done: number;
  total: number;
}

/** A table as the preview shows it. */
export interface OwnTable {
  input: TableInput;
  read: TableReadResult;
  options: ReadOptions;
  choice: TableChoice;
  problems: string[];
}

/** An image set: planned (classes, skipped files, memory) and, once decoded, its samples. */
export interface OwnImages {
  input: ImageInput;
  name: string;
  plan: ImageSetPlan;
  loaded: ImageSetResult | null;
  /** The memory estimate's warning, until the person chooses to go on. */
  memoryWarning: string | null;
}

export interface OwnDataContext {
  spec: OwnDataSpec;
  ratios: SplitRatios;
  seed: number;
}
