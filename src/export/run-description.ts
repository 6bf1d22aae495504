// A run in words: its model, training, data and environment as labelled values, worded once for
// both SUMMARY.txt (which lays them out as aligned text) and the run view (tables), so the two never
// disagree. A run trained here has every value; one imported from the reference script's layout
// lacks many, and those read "not recorded". Names from the data are plain text, never markup.
import type { ExtraValue, RunRecord } from '../recorder/run-record';
import type { TrainingStep } from '../training/types';
import { asLabRecord } from '../recorder/run-record-validate';
import { classWeightPairs, dataFilePairs } from './data-file-text';
import { describeModel, describeSchedule, fixed, humanTime, thousands } from './text-format';
import { plural } from '../units';

export const NOT_RECORDED = 'not recorded';

/** A value: one text, or a list (an item a line in the page; joined by "; " in a text file). */
export type FieldValue = string | readonly string[];
/** A label and its value; an empty label continues the field above it (another line of it). */
export type Field = readonly [label: string, value: FieldValue];

export interface RunSection {
  title: 'Model' | 'Training' | 'Data' | 'Own data' | 'Environment';
  fields: Field[];
}

export const fieldText = (v: FieldValue): string => (typeof v === 'string' ? v : v.join('; '));

/** The fields as one-line [label, text] pairs, as the text files lay them out. */
export const textPairs = (fields: readonly Field[]): [string, string][] => fields.map(([k, v]) => [k, fieldText(v)]);

const recorded = <T>(v: T | null | undefined, text: (v: T) => string): string => (v === null || v === undefined ? NOT_RECORDED : text(v));

/** An imported file's extra value as it was read: arrays and objects are kept as their JSON text. */
const extraText = (v: ExtraValue): string => (v === null ? 'null' : String(v));
const extraItems = (extra: Record<string, ExtraValue> | undefined): string[] => Object.entries(extra ?? {}).map(([k, v]) => `${k}: ${extraText(v)}`);

export function modelFields(r: RunRecord): Field[] {
  const spec = r.config.model;
  const arch = r.architecture;
  return [
    ['Model', spec ? `${r.model_name.toUpperCase()} (${describeModel(spec)})` : `${r.model_name} (layers ${NOT_RECORDED})`],
    ['Parameters', recorded(r.model_parameters, (n) => thousands(n) + (arch ? ` (${thousands(arch.trainable_params)} trainable, ${thousands(arch.non_trainable_params)} non-trainable)` : ''))],
  ];
}

/** When the run ran. A lab run without an end ended without one (interrupted): "—". */
export function timeFields(r: RunRecord): Field[] {
  const s = r.training_duration_seconds;
  const f = r.training_duration_formatted;
  const finished = r.end_time ? humanTime(r.end_time) : r.status === 'running' ? 'still running' : r.origin.kind === 'lab' ? '—' : NOT_RECORDED;
  return [
    ['Started', humanTime(r.start_time)],
    ['Finished', finished],
    ['Duration', s === null ? f || NOT_RECORDED : f ? `${f} (${fixed(s, 1)} s)` : `${fixed(s, 1)} s`],
  ];
}

/** The loss's class weights, when the run weighted it by class. */
function lossFields(r: RunRecord): Field[] {
  const lab = asLabRecord(r);
  if (lab) return classWeightPairs(lab);
  return r.config.class_weights ? [['Loss', `weighted cross-entropy with class weights (their values: ${NOT_RECORDED})`]] : [];
}

export function trainingFields(r: RunRecord): Field[] {
  const c = r.config;
  const es = c.early_stopping;
  const seeds = c.split_seed !== undefined && c.split_seed !== null;
  return [
    ['Epochs', `${c.epochs} (${r.training.epochs_completed} completed${r.training.early_stopped ? ', stopped early' : ''})`],
    ['Batch size', recorded(c.batch_size, String)],
    ['Optimizer', c.optimizer ?? NOT_RECORDED],
    ['Learning rate', recorded(c.learning_rate, (lr) => `${lr} (schedule: ${recorded(c.lr_schedule, describeSchedule)})`)],
    ['Weight decay', recorded(c.weight_decay, String)],
    ...lossFields(r),
    ['Early stopping', recorded(es, (e) => (e.enabled ? `on: ${e.monitor}, patience ${e.patience}` : 'off'))],
    ['Checkpoints', recorded(c.save_freq, (n) => `every ${n} epochs`)],
    // A lab run seeds its split apart (split_seed); the reference's one seed does both.
    ['Random seed', recorded(c.seed, (s) => (seeds ? `${s} (weights and batch order)` : String(s)))],
    ['Backend asked', c.backend_requested ?? NOT_RECORDED],
    ['Re-run with', recorded(c.url_query, (q) => (q ? `?${q.replace(/^\?/, '')}` : '—'))],
  ];
}

/** The person's own data, as read and prepared; [] for a built-in set and an imported reference run. */
export function ownDataFields(r: RunRecord): Field[] {
  const lab = asLabRecord(r);
  return lab ? dataFilePairs(lab) : [];
}

export function dataFields(r: RunRecord): Field[] {
  const d = r.dataset;
  const c = r.config;
  const counts = [d.num_train_samples, d.num_val_samples, d.num_test_samples];
  const ratios = [c.train_ratio, c.val_ratio, c.test_ratio];
  const part = (name: string, i: number) => `${name} ${recorded(counts[i], thousands)}${ratios[i] === null ? '' : ` (${Math.round(ratios[i]! * 100)} %)`}`;
  const anySplit = [...counts, ...ratios].some((x) => x !== null);
  const how = [
    c.stratified === true ? 'stratified by class' : c.stratified === false ? 'not stratified' : null,
    c.split_seed !== undefined && c.split_seed !== null ? `split seed ${c.split_seed}` : null,
    c.standardized ? 'features standardized on the training split' : null,
  ].filter((x): x is string => x !== null).join(', ');
  const own = ownDataFields(r).length > 0;
  return [
    ['Dataset', `${d.name} (${d.id})`],
    ['Source', d.source],
    ['SHA-256', recorded(d.sha256, (h) => h + (own ? ' (of the samples and labels as trained)' : ''))],
    ['Input shape', recorded(d.input_shape, (s) => s.join(' × '))],
    ['Samples', counts.every((n) => n !== null) ? thousands(counts.reduce((a, n) => a! + n!, 0)!) : NOT_RECORDED],
    ['Split', anySplit ? `${part('train', 0)}, ${part('validation', 1)}, ${part('test', 2)}` : NOT_RECORDED],
    ...(how ? [['', how] as const] : []),
    ['Classes', String(d.num_classes)],
  ];
}

/** Where the run ran: the browser's backend and versions, or an imported run's device. */
export function environmentFields(r: RunRecord): Field[] {
  const env = r.environment;
  if (!env) return [['Device', r.config.device ?? NOT_RECORDED], ['Software and versions', NOT_RECORDED]];
  const a = env.webgpu_adapter;
  const adapter = env.backend === 'webgpu' && a
    ? ` (${[a.vendor, a.architecture, a.device].filter(Boolean).join(' ')}${a.is_fallback_adapter ? ', software fallback adapter' : ''})`
    : env.backend === 'webgl' && env.webgl_renderer ? ` (${env.webgl_renderer})` : '';
  const skipped = env.backends_skipped.map((s) => `${s.name}: ${s.reason}`);
  const threads = env.backend === 'wasm' && env.wasm_threads ? ` (${plural(env.wasm_threads, 'thread')})` : '';
  return [
    ['Backend', (env.backend ?? 'unknown') + adapter + threads + (env.backend_forced ? ', chosen by the user' : '')],
    ...(env.training_step ? [['Training step', trainingStepText(env.training_step)] as const] : []),
    ...(env.backend_probe ? [['Chosen by', `${env.backend_probe.summary}${env.backend_probe.cached ? ' (measured earlier in this browser)' : ''}`] as const] : []),
    ...(skipped.length > 0 ? [['Skipped', skipped] as const] : []),
    ['TensorFlow.js', env.tfjs_version ?? 'unknown'],
    ['TrainLab', env.app_version],
    ['Browser', env.user_agent],
  ];
}

/** How the steps were computed, in words. */
function trainingStepText(step: TrainingStep): string {
  if (step.path === 'tfjs') return 'TensorFlow.js (optimizer.minimize)';
  const fma = step.fma ? ' with fused multiply-adds' : '';
  const threads = step.threads ?? 1;
  return `the lab's dense step: WebAssembly SIMD products${fma} on ${threads > 1 ? `up to ${threads} threads` : '1 thread'}`;
}

/** Everything the run view shows of the configuration, data and environment, by section. */
export function describeRun(r: RunRecord): RunSection[] {
  const c = r.config;
  const env = r.environment;
  const s = c.synthetic;
  const other = extraItems(c.extra);
  const otherData = extraItems(r.dataset.extra);
  const switches = (env?.backend_switches ?? []).map((w) => `${w.from} → ${w.to} after epoch ${w.after_epoch}: ${w.reason}`);
  const own = ownDataFields(r);
  const sections: RunSection[] = [
    { title: 'Model', fields: modelFields(r) },
    {
      title: 'Training',
      fields: [
        ...trainingFields(r),
        ...(r.sweep_id ? [['Sweep', r.sweep_id] as const] : []),
        ...timeFields(r),
        ...(other.length > 0 ? [['Other settings', other] as const] : []),
      ],
    },
    {
      title: 'Data',
      fields: [
        ...dataFields(r),
        ...(s ? [['Generated', `${thousands(s.samples)} samples, noise ${s.noise}, ${s.classes} classes, seed ${s.seed}`] as const] : []),
        ...(otherData.length > 0 ? [['Other dataset fields', otherData] as const] : []),
      ],
    },
    ...(own.length > 0 ? [{ title: 'Own data', fields: own } as const] : []),
    {
      title: 'Environment',
      fields: [
        ...environmentFields(r),
        ...(env ? [['CPU threads', recorded(env.hardware_concurrency, String)] as const] : []),
        ...(switches.length > 0 ? [['Backend changes', switches] as const] : []),
      ],
    },
  ];
  return sections;
}
