// Keeps a copy of a person's data in this browser (OwnDataStore), so the lab can offer it again and
// Resume can find it. Keeping is a convenience: when it fails the data is still used, and the
// person is told why it will not be offered again.
import type { OwnDataStore } from '../recorder/dataset-store';
import { errorText } from './backup-util';

export interface KeepRequest {
  files: readonly { path: string; blob: Blob }[];
  name: string;
  kind: 'table' | 'images';
  sha256: string;
  pasted: boolean;
}

/** Saves the data; returns a line for the page when something is worth saying (not kept, others forgotten). */
export async function keepOwnData(store: OwnDataStore | undefined, r: KeepRequest): Promise<string | null> {
  if (!store) return null;
  try {
    const bytes = r.files.reduce((n, f) => n + f.blob.size, 0);
    const saved = await store.save({ sha256: r.sha256, name: r.name, kind: r.kind, files: r.files, bytes, pasted: r.pasted });
    if (!saved.kept) return saved.message;
    return saved.evicted.length > 0 ? saved.message : null;
  } catch (e) {
    return `${r.name} is used but not kept in this browser: ${errorText(e)}`;
  }
}
