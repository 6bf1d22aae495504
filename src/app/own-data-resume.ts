// A run on a person's own data, continued: its data is found (the copy kept in this browser, or the
// file open in the Lab), checked against the hash the run recorded, read and prepared exactly as
// the run recorded (read options, columns, preprocessing options; image size and colour).
import type { DataFile } from '../recorder/run-record';
import type { ImageInput, ImageSetPlan, ImageSetResult } from '../training/datasets/images/image-client';
import type { TableReadResult } from '../training/datasets/table/table-client';
import type { ReadOptions, TableChoice } from '../training/datasets/table/table';
import type { SplitRatios } from '../training/types';
import {
  decodeOwnImages, imageSetSha256, planOwnImages, prepareOwnTable, readOwnTable, recordedTableChoice, splitOwnImages,
  type OwnPrepared, type TableInput,
} from './own-data-load';
import { defaultOwnDataSpec, specOf, type OwnDataSpec } from './own-data-spec';

/** What the Lab's own-data controller takes over once the run goes on, so the panel shows that data. */
export type OwnAdoption =
  | { kind: 'table'; input: TableInput; read: TableReadResult; options: ReadOptions; choice: TableChoice; prepared: OwnPrepared }
  | { kind: 'images'; input: ImageInput; name: string; plan: ImageSetPlan; loaded: ImageSetResult; prepared: OwnPrepared };

export type FoundInput = { table: TableInput } | { images: ImageInput };

const notThis = (f: DataFile, sha256: string) =>
  new Error(`the data found for ${f.name} is not the file the run was trained on (SHA-256 ${sha256.slice(0, 12)}… ≠ ${f.sha256.slice(0, 12)}…)`);

export async function rebuildOwnData(
  f: DataFile,
  find: (sha256: string) => Promise<FoundInput | undefined>,
  ratios: SplitRatios,
  seed: number,
): Promise<{ spec: OwnDataSpec; adoption: OwnAdoption }> {
  const found = await find(f.sha256);
  if (!found) {
    throw new Error(`its data, ${f.name} (SHA-256 ${f.sha256.slice(0, 12)}…), is not kept in this browser: choose it under Dataset → Your data, then try again`);
  }
  const spec = { ...defaultOwnDataSpec(), name: f.name, sha256: f.sha256 };
  if (f.kind === 'table') {
    if (!('table' in found)) throw new Error(`${f.name} was a table; the data found is an image set`);
    const { options, choice } = recordedTableChoice(f);
    const read = await readOwnTable(found.table, options);
    if (read.table.source.sha256 !== f.sha256) throw notThis(f, read.table.source.sha256);
    const prepared = await prepareOwnTable(read, found.table, choice, ratios, seed);
    return { spec: { ...spec, table: specOf(choice, read.profiles) }, adoption: { kind: 'table', input: found.table, read, options, choice, prepared } };
  }
  if (!('images' in found)) throw new Error(`${f.name} was an image set; the data found is a table`);
  const image = { size: f.images.options.size, color: f.images.options.color };
  const plan = await planOwnImages(found.images, image);
  const loaded = await decodeOwnImages(found.images, f.name, image);
  if (imageSetSha256(loaded) !== f.sha256) throw notThis(f, imageSetSha256(loaded));
  const prepared = await splitOwnImages(loaded, ratios, seed);
  return { spec: { ...spec, image }, adoption: { kind: 'images', input: found.images, name: f.name, plan, loaded, prepared } };
}
