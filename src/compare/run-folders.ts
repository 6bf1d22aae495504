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

/** What one given thing holds: its run files, with paths relative to it. */
export interface Container {
  file: string; // the name shown to the person: the zip, the picked folder ('' for loose files)
  rootName: string; // the name of the container's own folder: the zip without .zip, the folder's name
  entries: FileEntry[];
}

export interface RunFolder {
  file: string;
  path: string; // the folder inside the container ('' for its root)
  name: string; // the folder's own name ('' when unknown), the run's id in the reference layout
  files: Map<RunFileName, Uint8Array>;
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

/** The run folders of a container, sorted by path. */
export function findRunFolders(c: Container): RunFolder[] {
  const byFolder = new Map<string, Map<RunFileName, Uint8Array>>();
  for (const e of c.entries) {
    const name = baseName(e.path);
    if (!isRunFile(e.path) || !isRunFileName(name)) continue;
    const dir = dirName(e.path);
    let files = byFolder.get(dir);
    if (!files) byFolder.set(dir, (files = new Map()));
    files.set(name, e.bytes);
  }
  const folders: RunFolder[] = [];
  for (const [path, files] of byFolder) {
    const marker = MARKERS.find((m) => files.has(m as RunFileName));
    if (!marker) continue;
    folders.push({ file: c.file || marker, path, name: path ? folderName(path) : c.rootName, files });
  }
  return folders.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
