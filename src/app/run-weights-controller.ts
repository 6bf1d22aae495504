// The Runs page's Import run (a run folder or zip with its best model, import-weights.ts) and a run
// view's Evaluate on the test split (evaluate-run.ts): what is busy, what came of each, per run.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SourceFile } from '../compare/import-sources';
import type { RunRecord } from '../recorder/run-record';
import type { RunStore } from '../recorder/run-store';
import { evaluationSource } from './evaluate-run';
import type { DataAccess } from './run-continuation';

export class RunWeightsController implements ReactiveController {
  /** "Importing …" / "Evaluating …" while one runs. */
  busy = '';
  /** The outcome of the last import: which run was stored, or why nothing was. */
  importMessage = '';
  /** Each evaluated run's line ("Test accuracy here: …") or why it failed. */
  readonly evaluations = new Map<string, string>();

  constructor(private readonly host: ReactiveControllerHost, private readonly store: () => Promise<RunStore | undefined>) {
    host.addController(this);
  }

  hostConnected() {}

  /** Whether `record` offers Evaluate on the test split. */
  evaluable(record: RunRecord, runs: readonly RunRecord[]): boolean {
    return evaluationSource(record, runs) !== null;
  }

  /** Imports the files as one run with its weights; returns the stored run's id, or undefined. */
  async importRun(files: SourceFile[]): Promise<string | undefined> {
    this.update('Importing the run…', '');
    try {
      const store = await this.store();
      if (!store) throw new Error('Runs cannot be stored: storage is unavailable');
      const { importRunWithWeights } = await import('./import-weights');
      const result = await importRunWithWeights(files, store, { now: new Date() });
      const id = result.imported ? result.record.run_id : result.already.run_id;
      this.update('', result.imported ? `Imported ${id} with its best model.` : `${id} is already stored with its model.`);
      return id;
    } catch (e) {
      this.update('', `The run could not be imported: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** Runs `record`'s best model on its test split (in a worker of its own) and keeps the line to show. */
  async evaluate(record: RunRecord, data: DataAccess): Promise<void> {
    this.update(`Evaluating ${record.run_id} on the test split…`, this.importMessage);
    try {
      const store = await this.store();
      if (!store) throw new Error('Runs cannot be read: storage is unavailable');
      const { evaluateRun, evaluationText } = await import('./evaluate-run');
      this.evaluations.set(record.run_id, evaluationText(await evaluateRun(record, store, data)));
    } catch (e) {
      this.evaluations.set(record.run_id, `The evaluation failed: ${(e as Error).message}`);
    } finally {
      this.update('', this.importMessage);
    }
  }

  private update(busy: string, message: string) {
    [this.busy, this.importMessage] = [busy, message];
    this.host.requestUpdate();
  }
}
