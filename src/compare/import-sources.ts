// What the person gave (files from <input type=file multiple>, a drop, or <input webkitdirectory>)
// as containers of run files: each zip is one (read with zip-reader, run files only, nested zips one
// level deep), each picked folder is one, and loose files are grouped as the folder they came from.
import { readZip, ZipFormatError, ZipTooLargeError } from './zip-reader';
import { isRunFile, RUN_FILE_NAMES, type Container, type EntryFailure, type FileEntry } from './run-folders';

/** A file the person gave, as the page sees it; `path` is webkitRelativePath for a folder pick ('' or the name otherwise). */
export interface SourceFile {
  name: string;
  path: string;
  blob: Blob;
}

/** Something that could not be imported, shown in the page: which file, which folder inside it, and why. */
export interface ImportProblem {
  file: string;
  path: string;
  reason: string;
}

export interface SourceOptions {
  signal?: AbortSignal;
  /** Most bytes read from one zip (inflated, nested zips included) or one loose file; default 1 GiB. */
  maxZipBytes?: number;
  /** Most bytes of one run file (all are text: JSON, CSV, TXT), declared or inflated; default 64 MiB. */
  maxFileBytes?: number;
}

export const DEFAULT_MAX_BYTES = 2 ** 30;
/** A run's text files are kilobytes; one past this is refused before it is read (or stopped while inflating). */
export const DEFAULT_MAX_FILE_BYTES = 64 * 2 ** 20;
// Files named like a run's companions: loose, they are read together as one run folder.
const COMPANIONS: readonly string[] = RUN_FILE_NAMES;

const isZipName = (name: string) => /\.zip$/i.test(name);

/** The path as '/'-separated segments without a leading './' or '/'. */
function relativePath(f: SourceFile): string {
  return (f.path || f.name).replace(/\\/g, '/').replace(/^(\.?\/)+/, '');
}

/** Whether the file starts with a zip signature (a local header, or the end record of an empty zip). */
async function looksLikeZip(blob: Blob): Promise<boolean> {
  const head = new Uint8Array(await blob.slice(0, 4).arrayBuffer());
  return head.length === 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}

type Pending =
  | { kind: 'zip'; file: string; rootName: string; blob: Blob }
  | { kind: 'files'; file: string; rootName: string; loose: { path: string; blob: Blob }[] };
type LooseFiles = Extract<Pending, { kind: 'files' }>;

/** Groups the given files into containers, reading zips and the run files among loose files. */
export async function gatherContainers(files: readonly SourceFile[], opts: SourceOptions = {}): Promise<{ containers: Container[]; problems: ImportProblem[] }> {
  const limit = opts.maxZipBytes ?? DEFAULT_MAX_BYTES;
  const fileLimit = Math.min(limit, opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  const pending: Pending[] = [];
  const problems: ImportProblem[] = [];
  const folders = new Map<string, LooseFiles>();
  const looseGroups: LooseFiles[] = []; // loose files without a folder; a repeated name starts a new group

  for (const f of files) {
    opts.signal?.throwIfAborted();
    const rel = relativePath(f);
    const slash = rel.indexOf('/');
    if (isZipName(rel)) {
      pending.push({ file: rel, rootName: f.name.replace(/\.zip$/i, ''), kind: 'zip', blob: f.blob });
    } else if (slash > 0) {
      const top = rel.slice(0, slash);
      let folder = folders.get(top);
      if (!folder) {
        folder = { file: top, rootName: top, kind: 'files', loose: [] };
        folders.set(top, folder);
        pending.push(folder);
      }
      const inner = rel.slice(slash + 1);
      if (isRunFile(inner)) folder.loose.push({ path: inner, blob: f.blob });
    } else if (COMPANIONS.includes(rel)) {
      let group = looseGroups.find((g) => !g.loose.some((l) => l.path === rel));
      if (!group) {
        group = { file: '', rootName: '', kind: 'files', loose: [] };
        looseGroups.push(group);
        pending.push(group);
      }
      group.loose.push({ path: rel, blob: f.blob });
    } else if (/\.json$/i.test(rel)) {
      // A results_summary.json saved under another name is a run of its own.
      pending.push({ file: rel, rootName: '', kind: 'files', loose: [{ path: 'results_summary.json', blob: f.blob }] });
    } else if (await looksLikeZip(f.blob)) {
      pending.push({ file: rel, rootName: f.name.replace(/\.[^.]*$/, ''), kind: 'zip', blob: f.blob });
    } else {
      problems.push({ file: rel, path: '', reason: 'not a zip, a run folder or a results_summary.json' });
    }
  }

  const containers: Container[] = [];
  for (const p of pending) {
    opts.signal?.throwIfAborted();
    if (p.kind === 'files') {
      containers.push({ file: p.file, rootName: p.rootName, ...(await readLoose(p, fileLimit, problems)) });
      continue;
    }
    try {
      const zip = await readZip(p.blob, { want: isRunFile, maxTotalBytes: limit, maxEntryBytes: fileLimit, signal: opts.signal });
      const failures: EntryFailure[] = zip.failures.map((f) => ({ path: f.path, reason: f.error.message }));
      // A path listed twice: which copy is the run's cannot be told, so neither is read.
      const times = new Map<string, number>();
      for (const f of zip.files) times.set(f.path, (times.get(f.path) ?? 0) + 1);
      for (const [path, n] of times) if (n > 1) failures.push({ path, reason: `the zip holds "${path}" ${n} times; which one belongs to the run cannot be told` });
      for (const path of zip.unopened) {
        failures.push({ path, reason: 'not opened: a zip inside a zip inside this zip (zips inside a zip are opened one level deep); unzip the outer zip and import what it holds' });
      }
      // A failed run file is reported in its folder; a failed or unopened inner zip under its own path.
      for (const f of failures) problems.push({ file: p.file, path: isRunFile(f.path) ? dirOf(f.path) : f.path, reason: f.reason });
      containers.push({ file: p.file, rootName: p.rootName, entries: zip.files.filter((f) => times.get(f.path) === 1), failures });
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      if (e instanceof ZipFormatError || e instanceof ZipTooLargeError) problems.push({ file: p.file, path: '', reason: e.message });
      else if (e instanceof Error) problems.push({ file: p.file, path: '', reason: `cannot be read (${e.name}: ${e.message})` });
      else throw e;
    }
  }
  return { containers, problems };
}

/** A file the browser could not read (moved or deleted since it was picked). */
const isReadError = (e: unknown): e is DOMException => e instanceof DOMException && e.name !== 'AbortError';

const dirOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

/** Reads each loose run file; one that is too large (checked before reading) or unreadable is a problem of its own, and a failure of its folder. */
async function readLoose(p: LooseFiles, limit: number, problems: ImportProblem[]): Promise<{ entries: FileEntry[]; failures: EntryFailure[] }> {
  const entries: FileEntry[] = [];
  const failures: EntryFailure[] = [];
  for (const l of p.loose) {
    const slash = l.path.lastIndexOf('/');
    const where = { file: p.file || l.path, path: slash < 0 ? '' : l.path.slice(0, slash) };
    const name = l.path.slice(slash + 1);
    let reason: string;
    if (l.blob.size > limit) {
      reason = `${name}: ${l.blob.size} bytes, past the ${limit}-byte limit for one file`;
    } else {
      try {
        entries.push({ path: l.path, bytes: new Uint8Array(await l.blob.arrayBuffer()) });
        continue;
      } catch (e) {
        if (!isReadError(e)) throw e;
        reason = `${name}: cannot be read (${e.message})`;
      }
    }
    problems.push({ ...where, reason });
    failures.push({ path: l.path, reason });
  }
  return { entries, failures };
}
