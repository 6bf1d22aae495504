// SUMMARY.txt: the reference script's human-readable summary, with more in it (backend, split,
// class distribution, architecture, weighted averages) and honest about what a run lacks.
import type { LabRunRecord } from '../recorder/run-record';
import type { FilePlan } from './run-files';
import { missingByReason, whyNoTest } from './run-files';
import { dataFields, environmentFields, modelFields, ownDataFields, textPairs, timeFields, trainingFields } from './run-description';
import { displayWidth, fieldLines, fixed, percent, table, thousands, wrapWords } from './text-format';

const WIDTH = 78;
const rule = (ch: string) => ch.repeat(WIDTH);
const section = (title: string) => ['', rule('-'), title, rule('-')];

const fields = (pairs: [string, string][]): string[] => fieldLines(pairs, WIDTH);

function header(r: LabRunRecord): string[] {
  return fields([
    ['Run', r.run_id + (r.run_name && r.run_name !== r.run_id ? ` ("${r.run_name}")` : '')],
    ...(r.sweep_id ? [['Sweep', r.sweep_id] as [string, string]] : []),
    ...textPairs(modelFields(r)),
    ['Status', r.status + (r.status_reason ? ` — ${r.status_reason}` : '')],
    ...textPairs(timeFields(r)),
    ...textPairs(environmentFields(r)),
  ]);
}

function dataset(r: LabRunRecord): string[] {
  const d = r.dataset;
  const own = textPairs(ownDataFields(r));
  const data = own.length > 0 ? ['', 'Own data, as read and prepared (all of it in config.json data_file):', ...fields(own)] : [];
  const dist = d.class_distribution;
  const weights = r.config.class_weight_values;
  const rows = [['Class', 'Train', 'Val', 'Test', ...(weights ? ['Weight'] : [])], ...d.class_names.map((name, i) => [
    name, thousands(dist.train[i] ?? 0), thousands(dist.val[i] ?? 0), thousands(dist.test[i] ?? 0), ...(weights ? [fixed(weights[i], 4)] : []),
  ])];
  return [...fields(textPairs(dataFields(r))), ...data, '', 'Class distribution:', ...table(rows, weights ? 'lrrrr' : 'lrrr', WIDTH - 2).map((l) => `  ${l}`)];
}

function architecture(r: LabRunRecord): string[] {
  const rows = [['Layer', 'Type', 'Output shape', 'Parameters'], ...r.architecture.layers.map((l) => [
    l.name + (l.trainable ? '' : ' (frozen)'),
    l.type,
    `(${l.outputShape.map((s) => (s === null ? 'None' : String(s))).join(', ')})`,
    thousands(l.params),
  ])];
  return [...table(rows, 'lllr', WIDTH), `Total: ${thousands(r.architecture.total_params)} parameters`];
}

function results(r: LabRunRecord): string[] {
  const t = r.training;
  const by = t.model_selection_method === 'validation_loss' ? 'lowest validation loss' : 'highest validation accuracy';
  const last = r.history[r.history.length - 1];
  const pairs: [string, string][] = [
    ['Best epoch', t.best_epoch > 0 ? `${t.best_epoch} (${by})` : '— (no epoch finished)'],
    ['Best validation accuracy', percent(t.best_val_accuracy)],
    ['Best validation loss', fixed(t.best_val_loss, 4)],
  ];
  if (last) {
    pairs.push(
      [`Final epoch (${last.epoch}) train`, `loss ${fixed(t.final_train_loss, 4)}, accuracy ${percent(t.final_train_acc)}`],
      [`Final epoch (${last.epoch}) validation`, `loss ${fixed(t.final_val_loss, 4)}, accuracy ${percent(t.final_val_acc)}`],
      ['Final learning rate', String(t.final_learning_rate ?? '—')],
    );
  }
  if (r.test) {
    pairs.push(['Test accuracy', `${percent(r.test.test_accuracy)} (${r.test.evaluated_model} model, epoch ${r.test.evaluated_epoch} weights)`]);
    pairs.push(['Test loss', fixed(r.test.test_loss, 4)]);
  }
  if (t.final_test_acc !== null) {
    pairs.push(['Test, last-epoch weights', `accuracy ${percent(t.final_test_acc)}, loss ${fixed(t.final_test_loss, 4)}`]);
  }
  if (!r.test) pairs.push(['Test results', `none: ${whyNoTest(r)}`]);
  return fields(pairs);
}

function perClass(r: LabRunRecord): string[] {
  if (!r.test) return [];
  const m = r.test.per_class_metrics;
  const pc = m.per_class;
  const f = (x: number) => x.toFixed(4);
  const total = pc.support.reduce((a, b) => a + b, 0);
  const rows = [
    ['Class', 'Precision', 'Recall', 'F1-Score', 'Support'],
    ...r.dataset.class_names.map((name, i) => [name, f(pc.precision[i]), f(pc.recall[i]), f(pc.f1[i]), thousands(pc.support[i])]),
    ['Macro average', f(m.macro.precision), f(m.macro.recall), f(m.macro.f1), thousands(total)],
    ['Weighted average', f(m.weighted.precision), f(m.weighted.recall), f(m.weighted.f1), thousands(total)],
  ];
  const lines = table(rows, 'lrrrr', WIDTH);
  const w = Math.max(...lines.map(displayWidth));
  const averages = lines.length - 2;
  return [
    ...section(`PER-CLASS PERFORMANCE (test set, epoch ${r.test.evaluated_epoch} weights)`),
    lines[0], '-'.repeat(w), ...lines.slice(1, averages), '-'.repeat(w), ...lines.slice(averages),
    `Accuracy: ${percent(r.test.test_accuracy)} of ${thousands(total)} test samples`,
  ];
}

/** The whole SUMMARY.txt; `plan` says which files are in the folder and which are missing, and why. */
export function summaryTxt(record: LabRunRecord, plan: FilePlan): string {
  const lines = [
    rule('='),
    'TRAINLAB TRAINING SUMMARY',
    `${record.model_name.toUpperCase()} on ${record.dataset.name}`,
    rule('='),
    '',
    ...header(record),
    ...section('CONFIGURATION'), ...fields(textPairs(trainingFields(record))),
    ...section('DATASET'), ...dataset(record),
    ...section('ARCHITECTURE'), ...architecture(record),
    ...section('RESULTS'), ...results(record),
    ...perClass(record),
  ];
  if (plan.missing.length > 0) {
    lines.push(...section('NOT IN THIS FOLDER'));
    for (const m of missingByReason(plan)) lines.push(...wrapWords(m, WIDTH).map((l, i) => (i === 0 ? l : `  ${l}`)));
  }
  if (record.notes) lines.push(...section('NOTES'), record.notes);
  lines.push(rule('='));
  return lines.join('\n') + '\n';
}
