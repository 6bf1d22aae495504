// The Lab's own-data controller: what a person chose (a table file, pasted text, an image folder or
// zip), where reading it stands (progress, Cancel, errors), the table's preview and choice, and the
// dataset made ready to train. Every step runs in a worker (own-data-load.ts); a newer step cancels
// an older one, and a step's result is used only if no newer step started meanwhile. The data is
// kept in this browser (OwnDataStore) so the lab can offer it again and Resume can find it.
import type { DataFile } from '../recorder/run-record';
import type { OwnDataStore, OwnDatasetMeta } from '../recorder/dataset-store';
import type { ImageSetResult, ImageInput } from '../training/datasets/images/image-client';
import type { ImageLoadOptions } from '../training/datasets/images/image-limits';
import { tableWorkerState } from '../training/datasets/table/table-client';
import type { ReadOptions, TableChoice } from '../training/datasets/table/table';
import { isAbort } from './backup-util';
import { errorText } from '../units';
import { keepOwnData, ownDataStore } from './own-data-keep';
import { decodeOwnImages, folderName, imageSetSha256, inputOfKept, planOwnImages, prepareOwnTable, readOwnTable, splitOwnImages, PASTED_NAME, type OwnPrepared, type TableInput } from './own-data-load';
import { choiceOf, DEFAULT_TABLE_SPEC, specOf, type OwnDataSpec } from './own-data-spec';
import type { FoundInput, OwnAdoption } from './own-data-resume';
import type { OwnDataBusy, OwnDataContext, OwnImages, OwnTable } from './own-data-types';

export type { OwnDataBusy, OwnDataContext, OwnImages, OwnTable } from './own-data-types';

export class OwnData {
  busy: OwnDataBusy | null = null;
  error = '';
  notes: string[] = [];
  table: OwnTable | null = null;
  images: OwnImages | null = null;
  prepared: OwnPrepared | null = null;
  offer: OwnDatasetMeta | null = null;
  /** The file an address names that is not here yet. */
  wanted: { name: string; sha256: string } | null = null;

  private step = 0;
  /** A new file is being read or decoded: its own prepare step will use the latest context. */
  private reading = false;
  /** The image set being listed or decoded, while it is. */
  private decoding: { input: ImageInput; name: string } | null = null;
  private abort?: AbortController;
  private context: OwnDataContext;
  private started = false;

  constructor(
    private readonly changed: () => void,
    /** The spec changed here (a file read, a choice made): the Lab writes it to its state and address. */
    private readonly onSpec: (spec: OwnDataSpec) => void,
    context: OwnDataContext,
    /** Where own data is kept; undefined when this browser cannot keep it (the data is still used). */
    private readonly store: () => Promise<OwnDataStore | undefined> = ownDataStore,
  ) {
    this.context = context;
  }

  /** The data in use, and whether a copy of it is kept in this browser (known once saved or read from there). */
  get current(): { name: string; bytes: number; sha256: string; kept: boolean } | null {
    const f = this.prepared?.dataFile ?? this.fileOfInput();
    return f ? { name: f.name, bytes: f.bytes, sha256: f.sha256, kept: this.kept.has(f.sha256) } : null;
  }
  /** Hashes of data known to be kept in this browser. */
  private readonly kept = new Set<string>();

  /** The first time the Lab shows own data: the file its address names (kept here, or asked for), or an offer of the last one. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { spec } = this.context;
    const store = await this.store().catch(() => undefined);
    if (this.step > 0) return; // the person chose data meanwhile
    if (spec.sha256) {
      const kept = await store?.get(spec.sha256).catch(() => undefined);
      if (this.step > 0) return;
      if (kept) return this.openKept(kept, `Using ${kept.name}, kept in this browser.`);
      this.wanted = { name: spec.name, sha256: spec.sha256 };
    }
    const latest = (await store?.latest().catch(() => undefined)) ?? null;
    if (this.step > 0) return;
    this.offer = latest?.sha256 === spec.sha256 ? null : latest;
    this.changed();
  }

  /** The Lab's split, seed or spec changed: prepare again what depends on them. */
  setContext(next: OwnDataContext): void {
    const before = this.context;
    this.context = next;
    const imageChanged = JSON.stringify(before.spec.image) !== JSON.stringify(next.spec.image);
    if (this.reading) {
      // A read under way uses the newest split when it gets there; new image options decode again.
      if (imageChanged && this.decoding) void this.loadImages(this.decoding.input, this.decoding.name, false);
      return;
    }
    const splitChanged = JSON.stringify(before.ratios) !== JSON.stringify(next.ratios) || before.seed !== next.seed;
    if (this.images && imageChanged) void this.loadImages(this.images.input, this.images.name, false);
    else if (splitChanged && this.table) void this.prepareTable(this.table.choice);
    else if (splitChanged && this.images?.loaded) void this.splitImages(this.images.loaded);
  }

  openFiles(files: File[], paths: string[], folder: boolean): void {
    if (files.length === 0) return;
    const single = files.length === 1 && !folder ? files[0] : null;
    if (single && !/\.zip$/i.test(single.name)) {
      void this.readTable({ name: single.name, content: single, pasted: false }, {}, true);
      return;
    }
    const input: ImageInput = single
      ? { kind: 'zip', name: single.name, blob: single }
      : { kind: 'folder', files: files.map((f, i) => ({ path: paths[i] || f.webkitRelativePath || f.name, blob: f })) };
    void this.loadImages(input, single?.name ?? folderName(paths), true);
  }

  openText(text: string): void {
    void this.readTable({ name: PASTED_NAME, content: text, pasted: true }, {}, true);
  }

  setReadOptions(patch: ReadOptions): void {
    if (this.table) void this.readTable(this.table.input, { ...this.table.options, ...patch }, false);
  }

  setChoice(choice: TableChoice): void {
    if (!this.table) return;
    this.table = { ...this.table, choice };
    this.writeSpec({ table: specOf(choice, this.table.read.profiles) });
    void this.prepareTable(choice);
  }

  /** Decodes an image set past its memory warning. */
  loadAnyway(): void {
    if (this.images?.memoryWarning) void this.loadImages(this.images.input, this.images.name, false, true);
  }

  cancel(): void {
    this.abort?.abort(new DOMException('cancelled', 'AbortError'));
    this.step++;
    [this.reading, this.decoding] = [false, null];
    this.busy = null;
    this.notes = ['Cancelled: nothing was changed.'];
    this.changed();
  }

  async reuse(): Promise<void> {
    const offer = this.offer;
    const kept = offer ? await (await this.store())?.get(offer.sha256).catch(() => undefined) : undefined;
    if (!offer || !kept) return this.fail(`${offer?.name ?? 'That dataset'} is no longer kept in this browser: choose the file again.`);
    await this.openKept(kept, `Using ${kept.name}, kept in this browser.`);
  }

  async forget(): Promise<void> {
    const offer = this.offer;
    if (!offer) return;
    try {
      await (await this.store())?.forget(offer.sha256);
      this.offer = null;
      this.notes = [`${offer.name} is no longer kept in this browser.`];
    } catch (e) {
      this.error = `Could not forget ${offer.name}: ${errorText(e)}`;
    }
    this.changed();
  }

  /** Forgets the kept copy of the data in use (it stays in use on this page). */
  async forgetCurrent(): Promise<void> {
    const current = this.current;
    if (!current) return;
    try {
      const forgotten = await (await this.store())?.forget(current.sha256);
      this.kept.delete(current.sha256);
      this.notes = [forgotten ? `${current.name} is no longer kept in this browser; this page still uses it.` : `${current.name} was not kept in this browser.`];
    } catch (e) {
      this.error = `Could not forget ${current.name}: ${errorText(e)}`;
    }
    this.changed();
  }

  private async openKept(kept: Parameters<typeof inputOfKept>[0] & { sha256: string }, note: string) {
    this.notes = [note];
    this.kept.add(kept.sha256);
    const input = await inputOfKept(kept);
    if ('table' in input) return this.readTable(input.table, {}, false);
    return this.loadImages(input.images, kept.name, false);
  }

  /** The input whose data has this hash: the one open here, or the copy kept in this browser. */
  async findInput(sha256: string): Promise<FoundInput | undefined> {
    if (this.table && this.table.read.table.source.sha256 === sha256) return { table: this.table.input };
    if (this.images?.loaded && imageSetSha256(this.images.loaded) === sha256) return { images: this.images.input };
    const kept = await (await this.store())?.get(sha256).catch(() => undefined);
    return kept ? inputOfKept(kept) : undefined;
  }

  /** Shows data prepared elsewhere (a run continued on it) as the Lab's current data, for the Lab's next context. */
  adopt(a: OwnAdoption, context: OwnDataContext): void {
    this.context = context;
    this.abort?.abort(new DOMException('replaced by a continued run', 'AbortError'));
    this.step++;
    this.busy = null;
    this.error = '';
    this.wanted = null;
    this.notes = [];
    if (a.kind === 'table') {
      this.table = { input: a.input, read: a.read, options: a.options, choice: a.choice, problems: [] };
      this.images = null;
    } else {
      this.images = { input: a.input, name: a.name, plan: a.plan, loaded: a.loaded, memoryWarning: null };
      this.table = null;
    }
    this.prepared = a.prepared;
    this.changed();
  }

  private begin(label: string): { signal: AbortSignal; mine: () => boolean } {
    this.abort?.abort(new DOMException('replaced by a newer step', 'AbortError'));
    const abort = (this.abort = new AbortController());
    const step = ++this.step;
    this.busy = { label, done: 0, total: 0 };
    this.error = '';
    this.changed();
    return { signal: abort.signal, mine: () => step === this.step };
  }

  private progress = (mine: () => boolean) => (label: string, done: number, total: number) => {
    if (!mine()) return;
    this.busy = { label, done, total };
    this.changed();
  };

  private async readTable(input: TableInput, options: ReadOptions, isNew: boolean) {
    const { signal, mine } = this.begin(`Reading ${input.name}`);
    this.reading = true;
    try {
      const read = await readOwnTable(input, options, { signal, onProgress: this.progress(mine) });
      if (!mine()) return;
      this.reading = false;
      const sha256 = read.table.source.sha256;
      // The address's choices hold for the file it names (or for the first file when it names none).
      const sameFile = sha256 === this.context.spec.sha256 || !this.context.spec.sha256;
      const { choice, notes } = choiceOf(sameFile ? this.context.spec.table : { ...DEFAULT_TABLE_SPEC, skip: [], cat: [] }, read.profiles);
      this.images = null;
      this.table = { input, read, options, choice, problems: [] };
      this.notes = [...(isNew ? [] : this.notes), ...notes];
      this.noteWanted(input.name, sha256);
      this.writeSpec({ name: input.name, sha256, table: specOf(choice, read.profiles) });
      void this.keep(input.pasted ? [{ path: 'pasted.csv', blob: new Blob([input.content]) }] : [{ path: input.name, blob: input.content as Blob }], input.name, 'table', sha256, input.pasted);
      await this.prepareTable(choice);
    } catch (e) {
      if (mine()) this.fail(isAbort(e, signal) ? '' : `Could not read ${input.name}: ${errorText(e)}`);
    } finally {
      if (mine()) this.reading = false;
    }
  }

  private async prepareTable(choice: TableChoice) {
    const table = this.table;
    if (!table) return;
    const { signal, mine } = this.begin(`Preparing ${table.input.name}`);
    try {
      // The table worker holds one table: a read cancelled since (or a run continued on other data) replaced it.
      if ((await tableWorkerState()).kept?.sha256 !== table.read.table.source.sha256) await readOwnTable(table.input, table.options, { signal });
      const prepared = await prepareOwnTable(table.read, table.input, choice, this.context.ratios, this.context.seed, { signal });
      if (!mine()) return;
      this.prepared = prepared;
      this.table = { ...table, choice, problems: [] };
      this.busy = null;
    } catch (e) {
      if (!mine()) return;
      this.prepared = null;
      this.table = { ...table, choice, problems: isAbort(e, signal) ? [] : [errorText(e)] };
      this.busy = null;
    }
    this.changed();
  }

  private async loadImages(input: ImageInput, name: string, isNew: boolean, pastWarning = false) {
    const { signal, mine } = this.begin(`Listing the images of ${name}`);
    const options: ImageLoadOptions = this.context.spec.image;
    this.reading = true;
    this.decoding = { input, name };
    try {
      const plan = await planOwnImages(input, options, { signal });
      if (!mine()) return;
      if (isNew) this.notes = [];
      this.table = null;
      this.prepared = null;
      if (plan.memory.level === 'refuse') return this.fail(plan.memory.message ?? 'this image set is too large for a browser tab');
      if (plan.memory.level === 'warn' && !pastWarning) {
        this.images = { input, name, plan, loaded: null, memoryWarning: plan.memory.message };
        this.busy = null;
        return this.changed();
      }
      this.images = { input, name, plan, loaded: null, memoryWarning: null };
      const loaded = await decodeOwnImages(input, name, options, { signal, onProgress: this.progress(mine) });
      if (!mine()) return;
      [this.reading, this.decoding] = [false, null];
      const sha256 = imageSetSha256(loaded);
      this.noteWanted(name, sha256);
      this.images = { ...this.images, loaded };
      this.writeSpec({ name: loaded.info.name, sha256 });
      const files = input.kind === 'zip' ? [{ path: input.name, blob: input.blob }] : input.files;
      void this.keep(files, loaded.info.name, 'images', sha256, false);
      await this.splitImages(loaded);
    } catch (e) {
      if (mine()) this.fail(isAbort(e, signal) ? '' : `Could not read the images of ${name}: ${errorText(e)}`);
    } finally {
      if (mine()) [this.reading, this.decoding] = [false, null];
    }
  }

  private async splitImages(loaded: ImageSetResult) {
    const { signal, mine } = this.begin(`Splitting ${loaded.info.name}`);
    try {
      const prepared = await splitOwnImages(loaded, this.context.ratios, this.context.seed, { signal });
      if (!mine()) return;
      this.prepared = prepared;
      this.busy = null;
      this.changed();
    } catch (e) {
      if (mine()) this.fail(isAbort(e, signal) ? '' : `Could not split ${loaded.info.name}: ${errorText(e)}`);
    }
  }

  /** A link named a file: say whether this one is it. */
  private noteWanted(name: string, sha256: string) {
    const wanted = this.wanted;
    if (!wanted) return;
    this.wanted = null;
    if (wanted.sha256 !== sha256) {
      this.notes = [...this.notes, `${name} is not the file this address named (${wanted.name}, SHA-256 ${wanted.sha256.slice(0, 12)}…; this one is ${sha256.slice(0, 12)}…): the address now names ${name}.`];
    }
  }

  private async keep(files: readonly { path: string; blob: Blob }[], name: string, kind: 'table' | 'images', sha256: string, pasted: boolean) {
    const { kept, note } = await keepOwnData(await this.store().catch(() => undefined), { files, name, kind, sha256, pasted });
    if (kept) this.kept.add(sha256);
    if (note) this.notes = [...this.notes, note];
    if (kept || note) this.changed();
  }

  private writeSpec(patch: Partial<OwnDataSpec>) {
    const spec = { ...this.context.spec, ...patch };
    this.context = { ...this.context, spec };
    this.onSpec(spec);
  }

  private fileOfInput(): Pick<DataFile, 'name' | 'bytes' | 'sha256'> | null {
    const t = this.table?.read.table.source;
    return t && this.table ? { name: this.table.input.name, bytes: t.bytes, sha256: t.sha256 } : null;
  }

  private fail(message: string) {
    this.busy = null;
    this.error = message;
    this.changed();
  }
}

export { ownDataStore } from './own-data-keep';

