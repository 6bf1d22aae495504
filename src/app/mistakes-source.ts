// A stored run's mistakes gallery: its test predictions from the store, its data rebuilt as Resume
// and the exports rebuild it (checked against the run's SHA-256), its test rows found by the row
// indices stored with the predictions. Runs stored before those indices get the plain message.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LabRunRecord, RunRecord } from '../recorder/run-record';
import type { StoredPredictions } from '../recorder/run-store-db';
import { asLabRecord } from '../recorder/run-record-validate';
import type { RunStore } from '../recorder/run-store';
import { mistakesGallery, sameTestRows, samplesFrom, type MistakesGallery } from './mistakes';
import { rebuildRunData, type DataAccess, type RebuiltData } from './run-continuation';

/** The gallery of a stored lab run with test predictions; null for a run without any (imported, or not tested). */
export async function storedMistakes(record: RunRecord, store: RunStore, data: DataAccess): Promise<MistakesGallery | null> {
  const lab = asLabRecord(record);
  if (!lab?.test) return null;
  const p = await store.getPredictions(lab.run_id);
  return p ? mistakesOf(lab, p, data) : null;
}

/** The gallery of a tested lab run from its stored predictions `p` (already read), its data rebuilt through `data`. */
export async function mistakesOf(lab: LabRunRecord, p: StoredPredictions, data: DataAccess): Promise<MistakesGallery> {
  const k = lab.dataset.num_classes;
  if (!p.rowIndex) return mistakesGallery(p, k, null);
  let rebuilt: RebuiltData & { split: NonNullable<RebuiltData['split']> };
  try {
    rebuilt = await rebuildRunData(lab, data, 'show the mistakes of');
  } catch (e) {
    return mistakesGallery(p, k, null, `${(e as Error).message}: no gallery.`);
  }
  const why = sameTestRows(p.rowIndex, rebuilt.split);
  if (why) return mistakesGallery(p, k, null, why);
  const f = lab.dataset.data_file;
  const d = lab.dataset.input_shape.reduce((a, b) => a * b, 1);
  const names = f?.kind === 'table' && f.preprocessing.outputNames.length === d ? [...f.preprocessing.outputNames] : undefined;
  return mistakesGallery(p, k, samplesFrom({ split: rebuilt.split, dataset: rebuilt.dataset ?? null, featureNames: names }));
}

/** The run view's galleries, per run, loaded on demand (rebuilding MNIST takes a moment). */
export class MistakesController implements ReactiveController {
  readonly galleries = new Map<string, MistakesGallery | null>();
  busy = '';

  constructor(private readonly host: ReactiveControllerHost, private readonly store: () => Promise<RunStore | undefined>) {
    host.addController(this);
  }

  hostConnected() {}

  async load(record: RunRecord, data: DataAccess): Promise<void> {
    this.busy = `Finding the misclassified test rows of ${record.run_id}…`;
    this.host.requestUpdate();
    try {
      const store = await this.store();
      if (!store) throw new Error('Runs cannot be read: storage is unavailable');
      this.galleries.set(record.run_id, await storedMistakes(record, store, data));
    } catch (e) {
      this.galleries.set(record.run_id, { mistakes: [], samples: null, unavailable: `The mistakes could not be listed: ${(e as Error).message}` });
    } finally {
      this.busy = '';
      this.host.requestUpdate();
    }
  }
}
