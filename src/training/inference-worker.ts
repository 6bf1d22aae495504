// Try it's module worker: keeps one stored model loaded between predictions (a stroke, a typed row, a
// click) and runs it on a CPU backend (wasm, else cpu), so it never touches the training worker or
// its GPU backend. Images are decoded and tables read here too, off the page's thread, with the
// own-data readers. Page side: src/app/try-it.ts (a WorkerClient).
/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { initCpuBackend } from './backend';
import type { FittedPreprocessing } from './datasets/table/preprocess-types';
import { readTable } from './datasets/table/csv-read';
import type { ImageInput } from './datasets/images/image-source';
import { predictionsCsv } from './inference-csv';
import { digitFromRgba } from './inference-digits';
import { decodeImageInputs, type ImagePrep } from './inference-images';
import { encodeTable } from './inference-rows';
import type { BackendName, SavedModel } from './types';
import { serveCalls, Transfer, type CallContext } from './worker-rpc';

export interface LoadRequest {
  key: string; // which weights (the artifact's key): a second load of the same key is free
  model: SavedModel;
  wasmPath: string; // absolute URL of the folder with the tfjs wasm binaries
}
export interface Loaded {
  backend: BackendName;
  numClasses: number;
  inputShape: number[];
}

let backend: Promise<BackendName> | undefined;
let current: { key: string; model: tf.LayersModel; loaded: Loaded } | undefined;

/** wasm, else cpu; chosen once (no GPU probing: only inference runs here). */
function cpuBackend(wasmPath: string): Promise<BackendName> {
  backend ??= initCpuBackend(wasmPath);
  return backend;
}

async function load(req: LoadRequest): Promise<Loaded> {
  if (current?.key === req.key) return current.loaded;
  const name = await cpuBackend(req.wasmPath);
  const m = req.model;
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: m.modelTopology as tf.io.ModelJSON['modelTopology'], weightSpecs: m.weightSpecs as tf.io.WeightsManifestEntry[], weightData: m.weightData }));
  current?.model.dispose();
  const shape = model.inputs[0].shape.slice(1).map((d) => d ?? 0);
  const loaded: Loaded = { backend: name, numClasses: (model.outputs[0].shape.at(-1) as number | null) ?? 0, inputShape: shape };
  current = { key: req.key, model, loaded };
  return loaded;
}

function model(key: string): { model: tf.LayersModel; loaded: Loaded } {
  if (current?.key !== key) throw new Error('the model is not loaded in the inference worker any more: open Try it again');
  return current;
}

const BATCH = 256;

/** n inputs → n × numClasses probabilities, in batches. */
async function probabilities(key: string, x: Float32Array, n: number, signal?: AbortSignal): Promise<Float32Array> {
  const { model: m, loaded } = model(key);
  const width = loaded.inputShape.reduce((a, b) => a * b, 1);
  if (x.length !== n * width) throw new RangeError(`${x.length} input values are not ${n} × ${width}`);
  const out = new Float32Array(n * loaded.numClasses);
  for (let start = 0; start < n; start += BATCH) {
    signal?.throwIfAborted();
    const rows = Math.min(BATCH, n - start);
    const y = tf.tidy(() => m.predict(tf.tensor(x.subarray(start * width, (start + rows) * width), [rows, ...loaded.inputShape])) as tf.Tensor);
    out.set(await y.data(), start * loaded.numClasses);
    y.dispose();
  }
  return out;
}

const moved = (p: Float32Array) => new Transfer(p, [p.buffer as ArrayBuffer]);

export interface ImagesResult {
  names: string[];
  probabilities: Float32Array;
  skipped: { name: string; reason: string }[];
}

export const inferenceHandlers = {
  load,
  /** Prepared inputs (a typed row, a point): n × input width. */
  async predict(req: { key: string; x: Float32Array; n: number }, ctx: CallContext) {
    return moved(await probabilities(req.key, req.x, req.n, ctx.signal));
  },
  /** A drawing's RGBA pixels, made MNIST-like. */
  async predictDrawing(req: { key: string; rgba: Uint8ClampedArray; width: number; height: number }) {
    return moved(await probabilities(req.key, digitFromRgba(req.rgba, req.width, req.height), 1));
  },
  /** Image files (chosen files or a zip), decoded as the run's images were. */
  async predictImages(req: { key: string; input: ImageInput; prep: ImagePrep }, ctx: CallContext): Promise<Transfer<ImagesResult>> {
    const d = await decodeImageInputs(req.input, req.prep, ctx.signal);
    const p = await probabilities(req.key, d.x, d.names.length, ctx.signal);
    return new Transfer({ names: d.names, probabilities: p, skipped: d.skipped }, [p.buffer as ArrayBuffer]);
  },
  /** A table file → the predictions CSV (its rows as given, then the predictions). */
  async predictTable(req: { key: string; file: Blob; pre: FittedPreprocessing }, ctx: CallContext): Promise<{ csv: string; rows: number }> {
    const table = await readTable(req.file, {}, { signal: ctx.signal });
    const x = encodeTable(req.pre, table);
    const p = await probabilities(req.key, x, table.rowCount, ctx.signal);
    const rows = Array.from({ length: table.rowCount }, (_, r) => table.columns.map((c) => c[r]));
    return { csv: predictionsCsv({ header: table.header, rows }, p, req.pre.label.classes), rows: table.rowCount };
  },
};

export type InferenceMethod = keyof typeof inferenceHandlers;

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) serveCalls(inferenceHandlers);
