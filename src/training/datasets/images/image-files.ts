// Which files of a chosen folder (or zip) are images, and the class each belongs to. Pure: paths and
// sizes in, a plan out; nothing is read.
//
// Layout: one sub-folder per class, its name the class name. The classes are the first folder level
// under the root, and the root is found by removing wrapper folders from every path:
//  1. a picked folder: the folder itself, when every path begins with the same first folder (as
//     <input webkitdirectory> and a dropped folder give: "pets/cats/001.jpg");
//  2. then, while every image lies under one same folder and some image lies two or more folders
//     below it, that folder (a zip's "dataset/" top folder, "pets/train/").
// Images deeper inside a class folder belong to it ("cats/indoor/1.jpg" is a cat).
// Ignored without a word: __MACOSX/ (macOS resource forks), dotfiles and dot-folders (.DS_Store,
// ._001.jpg, .git/), Thumbs.db and desktop.ini. Skipped with a reason: files that are not images,
// images in formats we do not read, images directly in the root, empty files and files too large.
import { DatasetError } from '../errors';
import { formatBytes, plural } from '../../../units';
import { MAX_IMAGE_FILE_BYTES } from './image-limits';

/** Extensions read as images; the decoder checks the bytes, whatever the name says. */
export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'jfif', 'webp', 'gif', 'bmp'] as const;
const OTHER_IMAGES = ['tif', 'tiff', 'heic', 'heif', 'avif', 'svg', 'ico', 'psd', 'raw', 'cr2', 'nef', 'dng', 'jxl'];
export const FORMATS_TEXT = 'PNG, JPEG, WebP, GIF and BMP';

export interface ListedFile {
  path: string; // '/'-separated, as given (webkitRelativePath, a dropped folder's path, a zip entry)
  bytes: number;
}
/** A file left out, with why; `path` as given. */
export interface SkippedFile {
  path: string;
  reason: string;
}
export interface PlannedImage extends ListedFile {
  relPath: string; // under the root: "cats/001.jpg"
}
export interface ImageClassFiles {
  name: string;
  images: PlannedImage[]; // natural order of relPath
}
export interface ImageFilePlan {
  root: string; // the wrapper folders removed from every path, with a trailing '/'; '' for none
  classes: ImageClassFiles[]; // natural order of the names; only folders with at least one image
  skipped: SkippedFile[];
  rootImages: number; // images skipped for lying directly in the root
  ignored: number; // __MACOSX, dotfiles, Thumbs.db, desktop.ini
  imageCount: number;
  imageBytes: number;
}

const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini']);
const extOf = (name: string): string => (name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '');

/** Resource forks, hidden files and folders, and the files Windows leaves in image folders. */
export function isIgnoredPath(path: string): boolean {
  const parts = path.split('/').filter((p) => p !== '');
  return parts.some((p) => p === '__MACOSX' || p.startsWith('.')) || SYSTEM_FILES.has((parts[parts.length - 1] ?? '').toLowerCase());
}

const CHUNK = /\d+|\D+/g;
/**
 * Natural order, the same in every locale: runs of digits compare by value ("class2" < "class10"),
 * other runs by UTF-16 code unit ("B" < "a"); ties (e.g. "01" and "1") by code unit.
 */
export function naturalCompare(a: string, b: string): number {
  const x = a.match(CHUNK) ?? [];
  const y = b.match(CHUNK) ?? [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [p, q] = [x[i], y[i]];
    if (p === q) continue;
    if (/^\d/.test(p) && /^\d/.test(q)) {
      const [u, v] = [p.replace(/^0+(?=\d)/, ''), q.replace(/^0+(?=\d)/, '')];
      if (u.length !== v.length) return u.length - v.length;
      if (u !== v) return u < v ? -1 : 1;
      continue;
    }
    return p < q ? -1 : 1;
  }
  return x.length !== y.length ? x.length - y.length : a < b ? -1 : a > b ? 1 : 0;
}

/** Why a file that is not ignored cannot be an image of the set, or null when it may be one. */
function notImage(f: ListedFile): string | null {
  const ext = extOf(f.path.slice(f.path.lastIndexOf('/') + 1));
  if (ext === 'zip') return 'a zip inside the set is not opened: choose that zip itself';
  if (OTHER_IMAGES.includes(ext)) return `.${ext} images are not read (${FORMATS_TEXT} are)`;
  if (!(IMAGE_EXTENSIONS as readonly string[]).includes(ext)) return `not an image (${ext ? `.${ext}` : 'no extension'}; ${FORMATS_TEXT} are read)`;
  return null;
}

/** The common first folder of every path, or null. */
function commonFirst(paths: readonly string[][]): string | null {
  const first = paths[0]?.[0];
  return first !== undefined && paths.every((p) => p.length > 1 && p[0] === first) ? first : null;
}

/** Groups the files of a folder or zip by class folder; `picked`: a picked or dropped folder (rule 1). */
export function groupImageFiles(files: readonly ListedFile[], picked: boolean): ImageFilePlan {
  const skipped: SkippedFile[] = [];
  let ignored = 0;
  const images: { file: ListedFile; parts: string[] }[] = [];
  for (const f of files) {
    if (isIgnoredPath(f.path)) ignored++;
    else {
      const why = notImage(f);
      if (why) skipped.push({ path: f.path, reason: why });
      else images.push({ file: f, parts: f.path.split('/').filter((p) => p !== '') });
    }
  }
  let depth = 0;
  const parts = () => images.map((i) => i.parts.slice(depth));
  if (picked && commonFirst(parts()) !== null) depth++;
  while (commonFirst(parts()) !== null && parts().some((p) => p.length > 2)) depth++;
  const root = images.length ? images[0].parts.slice(0, depth).map((p) => `${p}/`).join('') : '';

  const byClass = new Map<string, PlannedImage[]>();
  let rootImages = 0;
  for (const { file, parts: all } of images) {
    const rel = all.slice(depth);
    if (rel.length < 2) {
      rootImages++;
      skipped.push({ path: file.path, reason: `in no class folder: it lies directly in ${root ? `"${root.slice(0, -1)}"` : 'the root'}` });
    } else if (file.bytes === 0) skipped.push({ path: file.path, reason: 'empty file (0 bytes)' });
    else if (file.bytes > MAX_IMAGE_FILE_BYTES) {
      skipped.push({ path: file.path, reason: `${formatBytes(file.bytes)}: larger than the ${formatBytes(MAX_IMAGE_FILE_BYTES)} limit for one image` });
    } else {
      const list = byClass.get(rel[0]) ?? [];
      list.push({ ...file, relPath: rel.join('/') });
      byClass.set(rel[0], list);
    }
  }
  const classes = [...byClass]
    .sort(([a], [b]) => naturalCompare(a, b))
    .map(([name, list]) => ({ name, images: list.sort((a, b) => naturalCompare(a.relPath, b.relPath)) }));
  const used = classes.flatMap((c) => c.images);
  return {
    root,
    classes,
    skipped,
    rootImages,
    ignored,
    imageCount: used.length,
    imageBytes: used.reduce((s, i) => s + i.bytes, 0),
  };
}

/**
 * Throws a DatasetError unless at least two class folders hold images; `where` names the input
 * ("pets", "pets.zip") for the message.
 */
export function requireTwoClasses(
  classNames: readonly string[],
  plan: Pick<ImageFilePlan, 'rootImages' | 'root' | 'skipped'>,
  where: string,
): void {
  const k = classNames.length;
  if (k >= 2) return;
  const found = k === 0 ? 'found no class folder with images' : `found 1 class folder (${classNames[0]}) with images`;
  const rootName = plan.root ? plan.root.slice(0, -1) : where;
  const others = plan.skipped.length - plan.rootImages;
  const notes = [
    plan.rootImages > 0 ? `${plural(plan.rootImages, 'image')} directly in "${rootName}" belong to no class` : '',
    others > 0 ? `${plural(others, 'other file')} skipped` : '',
  ].filter(Boolean);
  throw new DatasetError(`${found} in "${where}"; need at least 2 sub-folders, one per class${notes.length ? ` (${notes.join('; ')})` : ''}`);
}
