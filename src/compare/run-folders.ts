// Finding run folders among the files of one thing the person gave (a zip, a picked folder, loose
// files): every folder holding a results_summary.json or a training_history.csv is a run folder, at
// any depth, whether it is our run.zip's `{run_id}/`, a whole `checkpoints/` tree or a zip of zips.

/** The only files a run is read from: never weights, figures, predictions or model topologies. */
export const RUN_FILE_NAMES = ['results_summary.json', 'training_history.csv', 'training_history.json', 'config.json', 'per_class_metrics.csv', 'SUMMARY.txt'] as const;
export type RunFileName = (typeof RUN_FILE_NAMES)[number];
const MARKERS: readonly string[] = ['results_summary.json', 'training_history.csv'];

export interface FileEntry {
  path: string; // '/'-separated, relative to the container
  bytes: Uint8Array;
}

/** A file of a container that could not be read (damaged, encrypted, too large, outside the zip); already reported. */
export interface EntryFailure {
  path: string; // '/'-separated, relative to the container
  reason: string;
}

/** What one given thing holds: its run files, with paths relative to it. */
export interface Container {
  file: string; // the name shown to the person: the zip, the picked folder ('' for loose files)
  rootName: string; // the name of the container's own folder: the zip without .zip, the folder's name
  entries: FileEntry[];
  /** Files that could not be read: a run folder holding one is bad as a whole (no record from half its files). */
  failures?: EntryFailure[];
}

export interface RunFolder {
  file: string;
  path: string; // the folder inside the container ('' for its root)
  name: string; // the folder's own name ('' when unknown), the run's id in the reference layout
  files: Map<RunFileName, Uint8Array>;
  /** Why some of its run files could not be read; a folder with any is not imported. */
  failures: string[];
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const dirName = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const isRunFileName = (name: string): name is RunFileName => (RUN_FILE_NAMES as readonly string[]).includes(name);

/** Whether a path inside a zip or a picked folder is worth reading (macOS resource forks are not). */
export function isRunFile(path: string): boolean {
  return isRunFileName(baseName(path)) && !/(^|\/)__MACOSX\//.test(path);
}

/** A folder's own name; a zip inside a zip is named without its .zip. */
export function folderName(path: string): string {
  return baseName(path).replace(/\.zip$/i, '');
}

/** The run folders of a container, sorted by path; a folder whose marker could not be read is one too (a bad one). */
export function findRunFolders(c: Container): RunFolder[] {
  const byFolder = new Map<string, { files: Map<RunFileName, Uint8Array>; failed: Set<string>; failures: string[] }>();
  const folderOf = (dir: string) => {
    let f = byFolder.get(dir);
    if (!f) byFolder.set(dir, (f = { files: new Map(), failed: new Set(), failures: [] }));
    return f;
  };
  for (const e of c.entries) {
    const name = baseName(e.path);
    if (!isRunFile(e.path) || !isRunFileName(name)) continue;
    folderOf(dirName(e.path)).files.set(name, e.bytes);
  }
  for (const x of c.failures ?? []) {
    if (!isRunFile(x.path)) continue;
    const f = folderOf(dirName(x.path));
    f.failed.add(baseName(x.path));
    f.failures.push(x.reason);
  }
  const folders: RunFolder[] = [];
  for (const [path, { files, failed, failures }] of byFolder) {
    const marker = MARKERS.find((m) => files.has(m as RunFileName) || failed.has(m));
    if (!marker) continue;
    folders.push({ file: c.file || marker, path, name: path ? folderName(path) : c.rootName, files, failures });
  }
  return folders.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
