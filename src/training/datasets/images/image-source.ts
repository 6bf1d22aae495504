// The files of an image set, wherever they are: a picked or dropped folder (Blobs with relative
// paths) or one zip. Lists them with their sizes (a zip from its central directory, nothing
// inflated) and reads the chosen ones in batches, so a big zip never lies in memory inflated whole.
import { listZip, readZip, ZipFormatError, ZipTooLargeError } from '../../../compare/zip-reader';
import { DatasetError } from '../errors';
import type { ListedFile } from './image-files';
import { MAX_IMAGE_FILE_BYTES, MAX_ZIP_BYTES } from './image-limits';
import { formatBytes } from '../../../units';

/** What the page hands over; plain data with Blobs, so it crosses to the worker by structured clone. */
export type ImageInput =
  | { kind: 'folder'; files: { path: string; blob: Blob }[]; name?: string }
  | { kind: 'zip'; name: string; blob: Blob };

/** One file read: its bytes, or why they could not be read. */
export type ReadFile = { path: string; bytes: Uint8Array; error?: undefined } | { path: string; bytes?: undefined; error: string };

export interface ImageSource {
  kind: 'folder' | 'zip';
  name: string; // for messages and the record: the folder's name, the zip's file name
  files: ListedFile[];
  blob?: Blob; // the zip itself
  /** The files at `paths`, batch by batch, each batch in the order asked. */
  read(paths: readonly string[], signal?: AbortSignal): AsyncGenerator<ReadFile[]>;
}

const FOLDER_BATCH = 16; // files read at once from a folder
const ZIP_BATCH_BYTES = 32e6; // inflated bytes per batch from a zip
const ZIP_BATCH_FILES = 256;

export async function openImageSource(input: ImageInput): Promise<ImageSource> {
  return input.kind === 'zip' ? openZip(input.name, input.blob) : openFolder(input.files, input.name);
}

function openFolder(list: { path: string; blob: Blob }[], name?: string): ImageSource {
  const blobs = new Map(list.map((f) => [f.path, f.blob]));
  const first = list[0]?.path.split('/')[0];
  const shared = first !== undefined && list.every((f) => f.path.startsWith(`${first}/`));
  return {
    kind: 'folder',
    name: name ?? (shared ? first : 'the chosen files'),
    files: list.map((f) => ({ path: f.path, bytes: f.blob.size })),
    async *read(paths, signal) {
      for (let i = 0; i < paths.length; i += FOLDER_BATCH) {
        signal?.throwIfAborted();
        yield await Promise.all(
          paths.slice(i, i + FOLDER_BATCH).map(async (path): Promise<ReadFile> => {
            try {
              return { path, bytes: new Uint8Array(await blobs.get(path)!.arrayBuffer()) };
            } catch (e) {
              return { path, error: `could not be read (${(e as Error).message || (e as Error).name}): was it moved or deleted?` };
            }
          }),
        );
      }
    },
  };
}

async function openZip(name: string, blob: Blob): Promise<ImageSource> {
  if (blob.size > MAX_ZIP_BYTES) {
    throw new DatasetError(`"${name}" is ${formatBytes(blob.size)}, past the ${formatBytes(MAX_ZIP_BYTES)} limit for a zip: unzip it and choose the folder instead`);
  }
  let entries;
  try {
    entries = await listZip(blob);
  } catch (e) {
    if (e instanceof ZipFormatError) throw new DatasetError(`"${name}" cannot be opened as a zip: ${e.message}`);
    throw e;
  }
  // A zip may hold two entries with one path: the first is listed, as unzip tools extract it.
  const sizes = new Map<string, number>();
  for (const e of entries) if (!e.isDirectory && !sizes.has(e.path)) sizes.set(e.path, e.size);
  const files = [...sizes].map(([path, bytes]) => ({ path, bytes }));
  return {
    kind: 'zip',
    name,
    files,
    blob,
    async *read(paths, signal) {
      for (const batch of zipBatches(paths, sizes)) {
        signal?.throwIfAborted();
        const wanted = new Set(batch);
        const budget = batch.reduce((s, p) => s + (sizes.get(p) ?? 0), 0);
        let contents;
        try {
          contents = await readZip(blob, { want: (p) => wanted.has(p), nested: false, maxTotalBytes: budget + 1, maxEntryBytes: MAX_IMAGE_FILE_BYTES, signal });
        } catch (e) {
          if (e instanceof ZipFormatError || e instanceof ZipTooLargeError) throw new DatasetError(`"${name}": ${e.message}`);
          throw e;
        }
        const got = new Map<string, ReadFile>();
        for (const f of contents.failures) got.set(f.path, { path: f.path, error: f.error.message });
        for (const f of contents.files) if (!got.has(f.path)) got.set(f.path, { path: f.path, bytes: f.bytes });
        yield batch.map((path) => got.get(path) ?? { path, error: 'not found in the zip' });
      }
    },
  };
}

function* zipBatches(paths: readonly string[], sizes: Map<string, number>): Generator<string[]> {
  let batch: string[] = [];
  let bytes = 0;
  for (const p of paths) {
    const size = sizes.get(p) ?? 0;
    if (batch.length > 0 && (bytes + size > ZIP_BATCH_BYTES || batch.length >= ZIP_BATCH_FILES)) {
      yield batch;
      [batch, bytes] = [[], 0];
    }
    batch.push(p);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
