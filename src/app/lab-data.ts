// The Lab's data, whichever it is: a built-in set (loaded, split and hashed in the dataset worker
// whenever the set, its options, the split or the seed change) or a person's own data (OwnData).
// The Lab reads one shape from here: the dataset, its split or why there is none, and its hash.
import { Task, TaskStatus } from '@lit/task';
import type { ReactiveControllerHost } from 'lit';
import type { DataFile } from '../recorder/run-record';
import { loadKey, type PreparedBuiltin } from '../training/datasets/builtin-prepare';
import { prepareBuiltinOffThread } from '../training/datasets/dataset-client';
import { splitSeedOf, type LabState } from '../url-state';
import { OwnData } from './own-data';
import type { OwnDataSpec } from './own-data-spec';

export type PreparedData = Omit<PreparedBuiltin, 'key'> & { key: string; dataFile: DataFile | null };

export class LabData {
  readonly own: OwnData;
  private readonly builtin: Task<readonly [LabState['dataset'], LabState['synthetic'], LabState['ratios'], number], PreparedBuiltin | null>;

  constructor(
    host: ReactiveControllerHost,
    private readonly state: () => LabState,
    onOwnSpec: (spec: OwnDataSpec) => void,
  ) {
    this.builtin = new Task(host, {
      task: ([id, synthetic, ratios, seed], { signal }) => (id === 'file' ? Promise.resolve(null) : prepareBuiltinOffThread({ id, synthetic, ratios, seed }, signal)),
      args: () => {
        const s = this.state();
        return [s.dataset, s.synthetic, s.ratios, splitSeedOf(s)] as const;
      },
    });
    const s = state();
    this.own = new OwnData(() => host.requestUpdate(), onOwnSpec, { spec: s.own, ratios: s.ratios, seed: splitSeedOf(s) });
  }

  private get isOwn(): boolean {
    return this.state().dataset === 'file';
  }

  /** Call when the Lab's state changed. */
  follow(): void {
    const s = this.state();
    if (s.dataset !== 'file') return;
    this.own.setContext({ spec: s.own, ratios: s.ratios, seed: splitSeedOf(s) });
    void this.own.start();
  }

  /** What is shown: may still be the previous split while a new one is made. */
  get prepared(): PreparedData | undefined {
    if (this.isOwn) return this.own.prepared ?? undefined;
    const b = this.builtin.value;
    return b ? { ...b, dataFile: null } : undefined;
  }

  /** The prepared data is the current state's: a run may start from it. */
  get ready(): boolean {
    if (this.isOwn) return !this.own.busy && !!this.own.prepared;
    return this.builtin.status === TaskStatus.COMPLETE && !!this.builtin.value;
  }

  /** A new dataset is loading (not merely a new split of the one shown). */
  get loading(): boolean {
    if (this.isOwn) return false; // the own-data panel shows its own progress
    const s = this.state();
    return this.builtin.status === TaskStatus.PENDING && this.builtin.value?.key !== loadKey({ id: s.dataset, synthetic: s.synthetic });
  }

  get loadError(): string {
    if (this.isOwn || this.builtin.status !== TaskStatus.ERROR) return '';
    const e = this.builtin.error;
    return e instanceof Error ? e.message : String(e);
  }
}

/** Whether the features were standardised on the train split (the record's `standardized`). */
export function standardizedFor(p: PreparedData): boolean {
  if (p.dataFile) return p.dataFile.kind === 'table' && p.dataFile.preprocessing.options.scaling === 'standard';
  return p.dataset.kind === 'tabular';
}
