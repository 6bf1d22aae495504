// Keeps a copy of a person's data in this browser (OwnDataStore), so the lab can offer it again and
// Resume can find it. Keeping is a convenience: when it fails the data is still used, and the
// person is told why it will not be offered again.
import { OwnDataStore } from '../recorder/dataset-store';
import { errorText } from '../units';

export interface KeepRequest {
  files: readonly { path: string; blob: Blob }[];
  name: string;
  kind: 'table' | 'images';
  sha256: string;
  pasted: boolean;
}

/** Saves the data: whether it is kept, and a line for the page when something is worth saying (not kept, others forgotten). */
export async function keepOwnData(store: OwnDataStore | undefined, r: KeepRequest): Promise<{ kept: boolean; note: string | null }> {
  if (!store) return { kept: false, note: null };
  try {
    const bytes = r.files.reduce((n, f) => n + f.blob.size, 0);
    const saved = await store.save({ sha256: r.sha256, name: r.name, kind: r.kind, files: r.files, bytes, pasted: r.pasted });
    if (!saved.kept) return { kept: false, note: saved.message };
    return { kept: true, note: saved.evicted.length > 0 ? saved.message : null };
  } catch (e) {
    return { kept: false, note: `${r.name} is used but not kept in this browser: ${errorText(e)}` };
  }
}

/** Forgets every kept dataset but `keep` (the data of the run that needs the space); returns the bytes freed. */
export async function forgetOtherOwnData(store: OwnDataStore | undefined, keep: string | undefined): Promise<number> {
  if (!store) return 0;
  let freed = 0;
  for (const d of (await store.list()).datasets) {
    if (d.sha256 !== keep && (await store.forget(d.sha256))) freed += d.bytes;
  }
  return freed;
}

/** What the storage panel says of kept datasets. */
export async function ownDataFigures(store: OwnDataStore | undefined): Promise<{ count: number; bytes: number } | null> {
  if (!store) return null;
  const { datasets } = await store.list();
  return { count: datasets.length, bytes: await store.usage() };
}

let opened: Promise<OwnDataStore | undefined> | undefined;
/** This page's own-data store; undefined when this browser cannot keep data. */
export const ownDataStore = (): Promise<OwnDataStore | undefined> => (opened ??= OwnDataStore.open().catch(() => undefined));
