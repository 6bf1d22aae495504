// An image set from a folder or a zip, in two steps: inspect (list and group the files, estimate
// the memory: nothing decoded) and load (read, hash and decode every image into a Dataset with its
// ImageSetInfo). Runs in the image worker (image-worker.ts); nothing here needs a page.
import type { Dataset } from '../../types';
import { DatasetError } from '../errors';
import { createImageDecoder, ImageDecodeError } from './image-decode';
import { groupImageFiles, naturalCompare, requireTwoClasses, type ImageFilePlan, type SkippedFile } from './image-files';
import {
  ALPHA_BACKGROUND,
  LUMA_WEIGHTS,
  RESIZE_METHOD,
  channelsOf,
  checkImageOptions,
  colorText,
  estimateImageMemory,
  type ImageLoadOptions,
  type MemoryEstimate,
} from './image-limits';
import { folderSha256, sha256Hex, type ImageSetInfo, type ImageSetOptions } from './image-provenance';
import { openImageSource, type ImageInput, type ImageSource } from './image-source';

/** What the page shows before decoding: the classes found, what is left out, and the memory needed. */
export interface ImageSetPlan {
  source: 'folder' | 'zip';
  name: string;
  root: string;
  classes: { name: string; count: number }[];
  imageCount: number;
  imageBytes: number;
  skipped: SkippedFile[];
  ignored: number;
  memory: MemoryEstimate; // level 'warn': show memory.message and let the person decide
}

export interface ImageProgress {
  done: number; // files read and decoded (or skipped)
  total: number;
}

export interface ImageSetResult {
  dataset: Dataset;
  info: ImageSetInfo;
}

export interface LoadHooks {
  onProgress?: (p: ImageProgress) => void;
  signal?: AbortSignal;
}

const DECODE_CONCURRENCY = 8;

interface Prepared {
  src: ImageSource;
  files: ImageFilePlan;
  plan: ImageSetPlan;
}

async function prepare(input: ImageInput, options: ImageLoadOptions): Promise<Prepared> {
  checkImageOptions(options);
  const src = await openImageSource(input);
  const files = groupImageFiles(src.files, src.kind === 'folder');
  requireTwoClasses(files.classes.map((c) => c.name), files, src.name);
  const plan: ImageSetPlan = {
    source: src.kind,
    name: src.name,
    root: files.root,
    classes: files.classes.map((c) => ({ name: c.name, count: c.images.length })),
    imageCount: files.imageCount,
    imageBytes: files.imageBytes,
    skipped: files.skipped,
    ignored: files.ignored,
    memory: estimateImageMemory(files.imageCount, options),
  };
  return { src, files, plan };
}

/** Lists and groups the files; throws a DatasetError for fewer than two classes or an unreadable zip. */
export async function inspectImageSet(input: ImageInput, options: ImageLoadOptions): Promise<ImageSetPlan> {
  return (await prepare(input, options)).plan;
}

/** Runs `task` on every item, at most `limit` at once. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/**
 * Reads, hashes and decodes every image of the set. Files that do not decode are skipped and listed;
 * a set past the memory hard limit is refused before anything is read (a warning does not stop it:
 * the caller asked inspectImageSet first).
 */
export async function loadImageSet(input: ImageInput, options: ImageLoadOptions, hooks: LoadHooks = {}): Promise<ImageSetResult> {
  const { signal, onProgress } = hooks;
  const { src, files, plan } = await prepare(input, options);
  if (plan.memory.level === 'refuse') throw new DatasetError(plan.memory.message!);
  signal?.throwIfAborted();
  const per = options.size * options.size * channelsOf(options.color);
  const all = files.classes.flatMap((c, label) => c.images.map((image) => ({ image, label })));
  const slot = new Map(all.map((e, i) => [e.image.path, i]));
  const features = new Float32Array(all.length * per);
  const sha = new Array<string | undefined>(all.length);
  const failed: SkippedFile[] = [];
  const decoder = createImageDecoder(options);
  let done = 0;
  for await (const batch of src.read(all.map((e) => e.image.path), signal)) {
    await eachLimited(batch, DECODE_CONCURRENCY, async (file) => {
      const i = slot.get(file.path)!;
      try {
        if (file.error !== undefined) throw new ImageDecodeError(file.error);
        const [hash] = await Promise.all([sha256Hex(file.bytes as Uint8Array<ArrayBuffer>), decoder.decode(file.bytes, features, i * per)]);
        sha[i] = hash;
      } catch (e) {
        if (!(e instanceof ImageDecodeError)) throw e;
        failed.push({ path: file.path, reason: e.message });
      }
      onProgress?.({ done: ++done, total: all.length });
    });
    signal?.throwIfAborted();
  }

  // Keep the decoded rows in order, drop the rest; class folders left without images drop out too.
  const counts = files.classes.map(() => 0);
  all.forEach((e, i) => sha[i] !== undefined && counts[e.label]++);
  const kept = files.classes.filter((_, c) => counts[c] > 0);
  const newLabel = counts.map((_, c) => kept.indexOf(files.classes[c]));
  const skipped = [...files.skipped, ...failed].sort((a, b) => naturalCompare(a.path, b.path));
  requireTwoClasses(kept.map((c) => c.name), { ...files, skipped }, src.name);
  let n = 0;
  const labels = new Int32Array(all.length);
  all.forEach((e, i) => {
    if (sha[i] === undefined) return;
    if (n !== i) features.copyWithin(n * per, i * per, (i + 1) * per);
    labels[n++] = newLabel[e.label];
  });
  const used = all.flatMap((e, i) => (sha[i] === undefined ? [] : [{ relPath: e.image.relPath, bytes: e.image.bytes, sha256: sha[i] }]));
  const info = await describe(src, files, options, {
    folderSha256: await folderSha256(used),
    fileCount: n,
    totalBytes: used.reduce((s, f) => s + f.bytes, 0),
    classes: kept.map((c) => ({ name: c.name, count: counts[files.classes.indexOf(c)] })),
    emptyClasses: files.classes.filter((_, c) => counts[c] === 0).map((c) => c.name),
    skipped,
    memory: estimateImageMemory(n, options),
  });
  const dataset: Dataset = {
    id: 'file',
    name: `${src.name} (${kept.length} classes, ${options.size}×${options.size} ${colorText(options.color)})`,
    kind: 'image',
    source: `images:${src.kind} "${src.name}" sha256=${info.folderSha256} size=${options.size} color=${options.color} resize=${RESIZE_METHOD}`,
    inputShape: [options.size, options.size, channelsOf(options.color)],
    classNames: kept.map((c) => c.name),
    features: n === all.length ? features : features.slice(0, n * per),
    labels: n === all.length ? labels : labels.slice(0, n),
    numSamples: n,
  };
  return { dataset, info };
}

type Measured = Pick<ImageSetInfo, 'folderSha256' | 'fileCount' | 'totalBytes' | 'classes' | 'emptyClasses' | 'skipped' | 'memory'>;

async function describe(src: ImageSource, files: ImageFilePlan, o: ImageLoadOptions, m: Measured): Promise<ImageSetInfo> {
  const options: ImageSetOptions = {
    size: o.size,
    color: o.color,
    channels: channelsOf(o.color),
    resize: `${RESIZE_METHOD}: scaled to cover ${o.size}×${o.size} keeping the aspect ratio, centre square kept`,
    alpha: `composited over ${ALPHA_BACKGROUND}`,
    grayscale: `luma ${LUMA_WEIGHTS[0]} R + ${LUMA_WEIGHTS[1]} G + ${LUMA_WEIGHTS[2]} B`,
  };
  const info: ImageSetInfo = { source: src.kind, name: src.name, root: files.root, options, ...m, ignored: files.ignored };
  if (src.blob) {
    info.zipSha256 = await sha256Hex(await src.blob.arrayBuffer());
    info.zipBytes = src.blob.size;
  }
  return info;
}
