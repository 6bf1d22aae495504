// Try it (issue 12, point 3): a stored run's model on new input. Given a run id and the RunStore, it
// reads the record, plans how input is prepared (try-it-mode.ts), loads the weights (the best
// checkpoint, else the latest) into the inference worker (src/training/inference-worker.ts: its own
// worker, a CPU backend, the model kept loaded between predictions), and turns each input (a
// drawing, an image, a typed row, a point, a file) into class probabilities or a predictions CSV.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RunRecord } from '../recorder/run-record';
import { RunStore } from '../recorder/run-store';
import { defaultWasmPath } from '../training/bridge';
import type { ImageInput } from '../training/datasets/images/image-source';
import type { FittedPreprocessing } from '../training/datasets/table/preprocess-types';
import type { ImagesResult, InferenceMethod, Loaded } from '../training/inference-worker';
import { predictionsCsv } from '../training/inference-csv';
import { encodeRow } from '../training/inference-rows';
import { WorkerClient } from '../training/worker-rpc';
import { saveBlob } from './run-exports';
import { dataAccess, type DataAccess } from './run-continuation';
import { tryItPlan, weightsText, type TryItInput } from './try-it-mode';
import { builtinTable, type PlanePoints } from './try-it-data';

export interface TryItField {
  column: string;
  kind: 'numeric' | 'categorical';
  categories: string[];
  optional: boolean; // missing values are filled in (the train mean or most frequent value)
}

/** What the Try it panel shows. */
export interface TryItView {
  state: 'idle' | 'loading' | 'ready' | 'unavailable' | 'error';
  message: string; // why not available, or what failed
  input: TryItInput['kind'] | 'plane' | null;
  weights: string; // "the best model (epoch 4) on wasm"
  classNames: string[];
  probabilities: number[] | null; // of the last input
  inputError: string; // why the last input gave nothing
  notes: string[]; // what was filled in, or unknown in training
  fields: TryItField[]; // tables
  plane: PlanePoints | null; // 2-D sets: the dataset in its own coordinates
  picked: [number, number] | null;
  busy: string; // "Predicting 12 images…"
  fileMessage: string; // the outcome of Predict a file
}

const empty = (): TryItView => ({ state: 'idle', message: '', input: null, weights: '', classNames: [], probabilities: null, inputError: '', notes: [], fields: [], plane: null, picked: null, busy: '', fileMessage: '' });

let ownStore: Promise<RunStore | undefined> | undefined;
/** A connection of Try it's own, where its host has none to give (the run view). */
const fallbackStore = () => (ownStore ??= RunStore.open().catch(() => undefined));

const startWorker = () => new Worker(new URL('../training/inference-worker.ts', import.meta.url), { type: 'module', name: 'trainlab-inference' });
const wasmPath = () => new URL(defaultWasmPath(), document.baseURI).href;
const baseName = (name: string) => name.replace(/\.[^.]+$/, '') || 'input';

export class TryItController implements ReactiveController {
  view: TryItView = empty();
  private worker: WorkerClient;
  private opened = 0; // the generation of the last open(): older answers are dropped
  private runId = '';
  private record?: RunRecord;
  private key = '';
  private pre?: FittedPreprocessing; // tables, Iris and 2-D sets
  private input?: TryItInput;
  private queued?: () => Promise<Float32Array>;
  private running = false;

  /** Where a built-in set's split is rebuilt; by default built-in sets are rebuilt in the dataset worker. */
  data?: DataAccess;

  constructor(private readonly host: ReactiveControllerHost, private readonly deps: { store?: () => Promise<RunStore | undefined> | undefined; start?: () => Worker } = {}) {
    this.worker = new WorkerClient(deps.start ?? startWorker);
    host.addController(this);
  }

  /** The run asked for last, and the watch on its store (a run's record changes when it ends, or in another tab). */
  private wanted = '';
  private unwatch?: () => void;

  hostConnected() {
    if (this.wanted) void this.open(this.wanted); // back in the page: the worker was ended, load again
  }
  hostDisconnected() {
    this.worker.terminate();
    this.unwatch?.();
    this.unwatch = undefined;
    Object.assign(this, { opened: this.opened + 1, key: '', runId: '', view: empty() });
  }

  private watch(store: RunStore) {
    this.unwatch ??= store.watch((c) => {
      if (c.runId === this.wanted && c.record !== undefined) void this.open(c.runId);
    });
  }

  private set(patch: Partial<TryItView>) {
    this.view = { ...this.view, ...patch };
    this.host.requestUpdate();
  }

  /** Loads run `runId`'s weights and preprocessing; again only when the run's weights changed. */
  async open(runId: string): Promise<void> {
    const gen = ++this.opened;
    const live = () => gen === this.opened;
    this.wanted = runId;
    try {
      const store = await (this.deps.store?.() ?? fallbackStore());
      if (!store) throw new Error('runs cannot be read: storage is unavailable in this browser');
      if (!live()) return;
      this.watch(store);
      const record = await store.getRun(runId);
      if (!live()) return;
      if (!record) throw new Error(`run ${runId} is not stored`);
      const plan = tryItPlan(record, record.origin.kind === 'lab' ? [] : (await store.listRuns()).runs);
      if (!plan.ok) {
        this.key = '';
        return this.set({ ...empty(), state: 'unavailable', message: plan.reason });
      }
      const key = `${plan.ref.key}@${plan.ref.epoch}`;
      if (this.runId === runId && this.key === key && this.view.state === 'ready') return; // the same weights are loaded
      this.set({ ...empty(), state: 'loading', message: `Loading ${weightsText(plan.ref)}…`, classNames: record.dataset.class_names });
      const artifact = await store.getArtifact(plan.ref.key);
      if (!artifact) throw new Error(`the weights of ${runId} (${plan.ref.key}) are not stored any more`);
      const table = plan.input.kind === 'builtin-table' ? await builtinTable(plan.input.source, plan.input.dataset, this.data ?? dataAccess(async () => undefined)) : null;
      if (!live()) return;
      const loaded = await this.worker.call<Loaded>('load' satisfies InferenceMethod, { key, model: artifact.model, wasmPath: wasmPath() });
      if (!live()) return;
      if (loaded.numClasses !== record.dataset.num_classes) throw new Error(`the model has ${loaded.numClasses} outputs, the run ${record.dataset.num_classes} classes`);
      Object.assign(this, { runId, record, key, input: plan.input, pre: plan.input.kind === 'table' ? plan.input.pre : table?.pre });
      const pre = this.pre;
      this.set({
        state: 'ready',
        message: '',
        input: table?.plane ? 'plane' : plan.input.kind,
        weights: `${weightsText(plan.ref)}, on the ${loaded.backend} backend`,
        fields: pre ? pre.inputs.map((i) => ({ column: i.column, kind: i.kind, categories: i.kind === 'categorical' ? i.categories : [], optional: i.impute !== null })) : [],
        plane: table?.plane ?? null,
      });
    } catch (e) {
      if (live()) this.set({ ...empty(), state: 'error', message: `Try it could not load the model: ${(e as Error).message}` });
    }
  }

  /** Runs `task` now, or after the one running; a newer task replaces one still waiting (strokes come fast). */
  private predictLatest(task: () => Promise<Float32Array>): Promise<void> {
    this.queued = task;
    return this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queued) {
        const task = this.queued;
        this.queued = undefined;
        const key = this.key; // answers for weights no longer loaded are dropped
        try {
          const p = await task();
          if (key === this.key) this.set({ probabilities: Array.from(p), inputError: '' });
        } catch (e) {
          if (key === this.key) this.set({ probabilities: null, inputError: (e as Error).message });
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** A drawing's RGBA pixels (MNIST-shaped models). */
  drawing(rgba: Uint8ClampedArray, width: number, height: number): Promise<void> {
    this.set({ notes: [] });
    return this.predictLatest(() => this.worker.call<Float32Array>('predictDrawing' satisfies InferenceMethod, { key: this.key, rgba, width, height }));
  }

  clear() {
    this.queued = undefined;
    this.set({ probabilities: null, inputError: '', notes: [], picked: null });
  }

  /** One image file (upload or drop), prepared as the run's images were. */
  image(file: File): Promise<void> {
    this.set({ notes: [] });
    return this.predictLatest(async () => {
      const r = await this.predictImages({ kind: 'folder', files: [{ path: file.name, blob: file }] });
      if (!r.names.length) throw new Error(`${file.name}: ${r.skipped[0]?.reason ?? 'not an image'}`);
      return r.probabilities;
    });
  }

  /** A typed row (tables, Iris), by column name. */
  row(fields: Record<string, string>): Promise<void> {
    return this.predictLatest(async () => {
      const { x, notes } = encodeRow(this.pre!, fields);
      this.set({ notes });
      return this.worker.call<Float32Array>('predict' satisfies InferenceMethod, { key: this.key, x, n: 1 });
    });
  }

  /** A point of the plane (2-D sets), in the dataset's own coordinates. */
  point(x: number, y: number): Promise<void> {
    this.set({ picked: [x, y] });
    const [a, b] = this.pre!.inputs.map((i) => i.column);
    return this.row({ [a]: String(x), [b]: String(y) });
  }

  private predictImages(input: ImageInput): Promise<ImagesResult> {
    const prep = this.input?.kind === 'digits' || this.input?.kind === 'images' ? this.input.prep : undefined;
    if (!prep) throw new Error('this model does not take images');
    return this.worker.call<ImagesResult>('predictImages' satisfies InferenceMethod, { key: this.key, input, prep });
  }

  /** Predict a file: a table (tabular models), or images / a zip of images (image models) → a predictions CSV to download. */
  async predictFiles(files: File[]): Promise<void> {
    if (!files.length || !this.record) return;
    const runId = this.runId;
    const name = files.length === 1 ? baseName(files[0].name) : 'images';
    this.set({ busy: `Predicting ${files.length === 1 ? files[0].name : `${files.length} files`}…`, fileMessage: '' });
    try {
      let csv: string;
      let summary: string;
      if (this.pre) {
        if (files.length !== 1) throw new Error('choose one table file (CSV, TSV or TXT)');
        const r = await this.worker.call<{ csv: string; rows: number }>('predictTable' satisfies InferenceMethod, { key: this.key, file: files[0], pre: this.pre });
        [csv, summary] = [r.csv, `${r.rows} ${r.rows === 1 ? 'row' : 'rows'} predicted`];
      } else {
        const zip = files.length === 1 && /\.zip$/i.test(files[0].name);
        const input: ImageInput = zip ? { kind: 'zip', name: files[0].name, blob: files[0] } : { kind: 'folder', files: files.map((f) => ({ path: f.webkitRelativePath || f.name, blob: f })) };
        const r = await this.predictImages(input);
        if (!r.names.length) throw new Error(`no image could be read${r.skipped.length ? `: ${r.skipped.slice(0, 3).map((s) => `${s.name} (${s.reason})`).join('; ')}` : ''}`);
        csv = predictionsCsv({ header: ['file'], rows: r.names.map((n) => [n]) }, r.probabilities, this.record.dataset.class_names);
        const skipped = r.skipped.length ? `; ${r.skipped.length} skipped: ${r.skipped.slice(0, 3).map((s) => `${s.name} (${s.reason})`).join('; ')}${r.skipped.length > 3 ? '; …' : ''}` : '';
        summary = `${r.names.length} ${r.names.length === 1 ? 'image' : 'images'} predicted${skipped}`;
      }
      const fileName = `${runId}_predictions_${name}.csv`;
      saveBlob(new Blob([csv], { type: 'text/csv' }), fileName);
      this.set({ busy: '', fileMessage: `${summary}: saved ${fileName}.` });
    } catch (e) {
      this.set({ busy: '', fileMessage: `Predict a file failed: ${(e as Error).message}` });
    }
  }
}
