// Where an image set came from, kept with the run: what was read, what was left out and why, and
// hashes that identify the very files. Plain JSON throughout (it goes into the run record).
import type { SkippedFile } from './image-files';
import type { ColorMode, ImageSize, MemoryEstimate } from './image-limits';

export interface ImageSetOptions {
  size: ImageSize;
  color: ColorMode;
  channels: 1 | 3;
  resize: string; // RESIZE_METHOD: scale to cover, centre-crop (image-limits.ts says exactly how)
  alpha: string; // transparent pixels composited over ALPHA_BACKGROUND
  grayscale: string; // the luma formula, when color is grayscale
}

export interface ImageSetInfo {
  source: 'folder' | 'zip';
  name: string; // the chosen folder's name, or the zip's file name
  root: string; // the wrapper folders removed from every path ("pets/"); '' for none
  options: ImageSetOptions;
  folderSha256: string; // see folderHashText
  zipSha256?: string; // of the zip file's bytes (zip only)
  zipBytes?: number;
  fileCount: number; // images in the data set
  totalBytes: number; // the bytes of their files
  classes: { name: string; count: number }[]; // in class-index order
  emptyClasses: string[]; // class folders none of whose images decoded: left out of the classes
  skipped: SkippedFile[]; // paths as given (before the root is removed)
  ignored: number; // __MACOSX, dotfiles, Thumbs.db, desktop.ini: not listed
  memory: MemoryEstimate;
}

const utf8 = new TextEncoder();

/** Lower-case hex SHA-256 of the bytes (WebCrypto: page and workers, secure contexts only). */
export async function sha256Hex(data: BufferSource): Promise<string> {
  if (!globalThis.crypto?.subtle) throw new Error('hashing needs a secure context (https or localhost)');
  const digest = await crypto.subtle.digest('SHA-256', data);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function compareUtf8(a: string, b: string): number {
  const [x, y] = [utf8.encode(a), utf8.encode(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/**
 * The text the folder hash is taken of: one line per image in the data set (skipped files are not
 * in it), sorted by the UTF-8 bytes of the path,
 *     <SHA-256 of the file, 64 lower-case hex digits><two spaces><path under the root>\n
 * e.g. "9f86d08…0a08  cats/001.jpg\n". That is what `sha256sum` prints, so from the root (the class
 * folders' parent) with only the used images present:
 *     find . -type f | sed 's|^\./||' | LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum
 * gives folderSha256 (paths holding a newline or a backslash excepted: sha256sum escapes those).
 * Paths are under the root, so a folder and a zip of it (wrapped or not) hash the same.
 */
export function folderHashText(files: readonly { relPath: string; sha256: string }[]): string {
  return [...files]
    .sort((a, b) => compareUtf8(a.relPath, b.relPath))
    .map((f) => `${f.sha256}  ${f.relPath}\n`)
    .join('');
}

export const folderSha256 = (files: readonly { relPath: string; sha256: string }[]): Promise<string> =>
  sha256Hex(utf8.encode(folderHashText(files)));
