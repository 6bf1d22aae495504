// Which weights produced a run's test results, in words: one rule for the Lab and the run view; the
// files carry the same through evaluated_model. The trainer says which weights it tested.
import type { RunRecord } from '../recorder/run-record';

export interface TestedWeights {
  evaluated: 'best' | 'final' | null;
  epoch: number | null; // whose weights (0: stopped before epoch 1 finished)
  selection: string | null; // model_selection_method
  finalTestAcc: number | null; // the last weights on the test set, when tested too
  lastEpoch: number;
}

const BY: Record<string, string> = { validation_loss: 'lowest validation loss', validation_accuracy: 'highest validation accuracy' };

export function testedWeightsOf(r: RunRecord): TestedWeights {
  return {
    evaluated: r.test?.evaluated_model ?? null,
    epoch: r.test?.evaluated_epoch ?? null,
    selection: r.training.model_selection_method,
    finalTestAcc: r.training.final_test_acc,
    lastEpoch: r.history.at(-1)?.epoch ?? 0,
  };
}

/** "Evaluated with the best epoch's weights (epoch 4, by lowest validation loss). The last weights (epoch 6) score 71.20 % …" */
export function testedWeightsNote(w: TestedWeights): string {
  if (!w.evaluated) return '';
  if (w.evaluated === 'final') {
    const when = w.epoch === null ? '' : w.epoch === 0 ? ' (stopped before epoch 1 finished)' : ` (epoch ${w.epoch})`;
    return `Evaluated with the weights at the end of the run${when}.`;
  }
  const by = w.selection ? `, by ${BY[w.selection] ?? w.selection}` : '';
  const also = w.finalTestAcc !== null && w.epoch !== w.lastEpoch ? ` The last weights (epoch ${w.lastEpoch}) score ${w.finalTestAcc.toFixed(2)} % on the test set.` : '';
  return `Evaluated with the best epoch's weights (epoch ${w.epoch}${by}).${also}`;
}
