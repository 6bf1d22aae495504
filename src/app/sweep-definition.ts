// A sweep's form checked against the Lab and expanded into runs. Each run is a full Lab address:
// the base address with the run's swept values, `seed=1..k` (weights and batch order) and
// `sseed=<split seed>` (the same split, so the same test set, for every run). A grid takes every
// combination of the listed values (the first key varies slowest); random mode draws `draws`
// configurations with the project's seeded RNG, from the lists or from ranges (uniform or
// log-uniform, whole numbers with `:int`). Values are checked by the Lab's own address parser, so a
// sweep accepts exactly what the Lab accepts. Pure: no DOM, no storage.
import type { SweepDefinition, SweepParam, SweepRun } from '../recorder/sweep-record';
import { createRng, type Rng } from '../training/rng';
import { fmtNum, parseNum } from '../url-codecs';
import { LAB_PARAM_NAMES, parseLabState, runQueryOf, selectedModel, splitSeedOf, type LabState } from '../url-state';
import { DEFAULT_SWEEP_FORM, type SweepForm } from './sweep-form';

/** The most runs one sweep may plan. */
export const MAX_SWEEP_RUNS = 200;
const MAX_SEED = 4294967295;

/** The data, its split and the seeds stay fixed within a sweep; the rest are the address's own switches. */
const DATA_KEYS = ['dataset', 'file', 'fsha', 'label', 'skip', 'cat', 'scale', 'missing', 'nanum', 'maxcat', 'isize', 'icolor', 'samples', 'noise', 'classes', 'dseed', 'split', 'sseed'];
const NOT_SWEPT = new Set([...DATA_KEYS, 'seed', 'autostart', 'sweep', 'repeats', 'sweepmode', 'draws', 'drawseed']);

/** The keys a sweep may vary: every hyperparameter of the Lab's form, by its name in the address. */
export const SWEEP_KEYS: readonly string[] = LAB_PARAM_NAMES.filter((n) => !NOT_SWEPT.has(n));

export type SweepRange = Extract<SweepParam, { range: unknown }>['range'];

/** A plan that cannot be made (a run's address the Lab does not accept). */
export class SweepDefinitionError extends Error {
  override name = 'SweepDefinitionError';
}

const RANGE_HELP = 'expected min..max, optionally followed by :log and/or :int (e.g. 1e-4..1e-1:log)';

/** One field's text: values separated by `|` (`0.001|0.01`, `16,16|32`) or a range `min..max[:log][:int]`. */
export function parseSweepText(text: string): { values: string[] } | { range: SweepRange } | { error: string } {
  const t = text.trim();
  if (t === '') return { error: 'no values: list them with | (e.g. 0.001|0.01) or give a range (e.g. 1e-4..1e-1:log)' };
  if (t.includes(';')) return { error: 'a value cannot hold ";" (it separates the swept keys in the address)' };
  if (t.includes('..') && !t.includes('|')) return parseRange(t);
  const values = t.split('|').map((v) => v.trim());
  const twice = values.find((v, i) => values.indexOf(v) !== i);
  return twice !== undefined ? { error: `${twice === '' ? 'an empty value' : twice} is listed twice` } : { values };
}

function parseRange(t: string): { range: SweepRange } | { error: string } {
  const [lo, rest, ...more] = t.split('..');
  const [hi, ...flags] = rest.split(':');
  const min = parseNum(lo);
  const max = parseNum(hi);
  if (more.length || min === null || max === null) return { error: `bad range "${t}": ${RANGE_HELP}` };
  const unknown = flags.find((f) => f !== 'log' && f !== 'int');
  if (unknown !== undefined) return { error: `bad range "${t}": unknown option ":${unknown}" (${RANGE_HELP})` };
  const range: SweepRange = { min, max, scale: flags.includes('log') ? 'log' : 'linear', integer: flags.includes('int') };
  if (min >= max) return { error: `bad range "${t}": the minimum must be below the maximum` };
  if (range.scale === 'log' && min <= 0) return { error: `bad range "${t}": a log range needs a minimum above 0` };
  if (range.integer && Math.ceil(min) > Math.floor(max)) return { error: `bad range "${t}": it holds no whole number` };
  return { range };
}

/** The range's text as the form writes it. */
export const rangeText = (r: SweepRange): string => `${fmtNum(r.min)}..${fmtNum(r.max)}${r.scale === 'log' ? ':log' : ''}${r.integer ? ':int' : ''}`;

/** A number drawn from `r`: uniform or log-uniform; whole, or rounded to 4 significant digits (a readable address). */
export const drawInRange = (r: SweepRange, rng: Rng): number => pointInRange(r, rng.next());

/** The point of `r` at `u` in [0, 1) of the way (on its scale), as a draw gives it. */
function pointInRange(r: SweepRange, u: number): number {
  const lo = r.integer ? Math.ceil(r.min) : r.min;
  const hi = r.integer ? Math.floor(r.max) : r.max;
  if (r.integer && r.scale === 'linear') return lo + Math.floor(u * (hi - lo + 1));
  const x = r.scale === 'log' ? Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo))) : lo + u * (hi - lo);
  return Math.min(hi, Math.max(lo, r.integer ? Math.round(x) : Number(x.toPrecision(4))));
}

/** The Lab's state of `base` with `assign` set, and the address's complaints about the assigned keys. */
function withValues(baseQuery: string, assign: Record<string, string>): { state: LabState; problems: string[] } {
  const q = new URLSearchParams(baseQuery);
  for (const [k, v] of Object.entries(assign)) q.set(k, v);
  const { state, errors } = parseLabState(q.toString());
  // Other keys may not apply any more (minlr once sched=step): the run simply goes without them.
  const problems = errors.filter((e) => Object.keys(assign).some((k) => e.startsWith(`ignored ${k}=`)));
  return { state, problems };
}

/** What a run trains (two runs alike here are the same run). */
const trainedJson = (s: LabState): string => JSON.stringify([s.dataset, s.synthetic, s.ratios, selectedModel(s), s.config, s.dataset === 'file' ? s.own : null]);

const problemOf = (key: string, value: string, problem: string): string => `${key}=${value}: ${problem.replace(`ignored ${key}=${value}: `, '')}`;

/** Why `key` cannot be swept, or ''. */
function keyProblem(key: string): string {
  if (key === 'seed') return 'the seed is what repeats vary (seeds 1..k): set Repeats instead';
  if (DATA_KEYS.includes(key)) return `${key} changes the data or its split; a sweep keeps them fixed so that every run is tested on the same test set`;
  return SWEEP_KEYS.includes(key) ? '' : `unknown key "${key}" (one of ${SWEEP_KEYS.join(', ')})`;
}

/** Checks one swept key's values (or a range's bounds) against the Lab; '' when they are fine. */
function valuesProblem(baseQuery: string, key: string, p: { values: string[] } | { range: SweepRange }): string {
  if ('values' in p) {
    const states = p.values.map((v) => ({ v, ...withValues(baseQuery, { [key]: v }) }));
    const bad = states.find((s) => s.problems.length);
    if (bad) return problemOf(key, bad.v, bad.problems[0]);
    if (states.length > 1 && new Set(states.map((s) => trainedJson(s.state))).size === 1) {
      return `these values of ${key} train the same runs (${key} is not used with the current settings)`;
    }
    return '';
  }
  const r = p.range;
  const probes = [r.integer ? Math.ceil(r.min) : r.min, r.integer ? Math.floor(r.max) : r.max];
  const inner = pointInRange(r, 0.618); // a value inside: whole-number keys refuse it unless :int
  if (!r.integer && !Number.isInteger(inner)) probes.push(inner);
  for (const x of probes) {
    const v = fmtNum(x);
    const { problems } = withValues(baseQuery, { [key]: v });
    if (problems.length) return problemOf(key, v, problems[0]) + (x === inner ? ' (add :int to draw whole numbers)' : '');
  }
  return '';
}

export interface SweepErrors {
  params: string[]; // one per form row, '' when fine
  repeats: string;
  draws: string;
  drawSeed: string;
  total: string; // about the plan as a whole (too many runs)
}

export interface SweepPlan {
  definition: SweepDefinition;
  runs: SweepRun[];
  epochs: number[]; // each run's epochs (what the estimate of its time needs)
}

const wholeIn = (v: number, min: number, max: number): boolean => Number.isInteger(v) && v >= min && v <= max;

/**
 * The sweep `form` asks for on top of the Lab's `base` settings: its definition and runs, the number
 * of runs (null when the form cannot say), and a message per field (all '' when it can start).
 */
export function planSweep(form: SweepForm, base: LabState): { plan: SweepPlan | null; count: number | null; errors: SweepErrors } {
  const random = form.mode === 'random';
  const errors: SweepErrors = {
    params: [],
    repeats: wholeIn(form.repeats, 1, MAX_SWEEP_RUNS) ? '' : `a whole number from 1 to ${MAX_SWEEP_RUNS}`,
    draws: !random || wholeIn(form.draws, 1, MAX_SWEEP_RUNS) ? '' : `a whole number from 1 to ${MAX_SWEEP_RUNS}`,
    drawSeed: !random || wholeIn(form.drawSeed, 0, MAX_SEED) ? '' : `a whole number from 0 to ${MAX_SEED}`,
    total: '',
  };
  const baseQuery = runQueryOf(base);
  const params: SweepParam[] = [];
  for (const [i, { key, text }] of form.params.entries()) {
    const parsed = parseSweepText(text);
    const problem =
      keyProblem(key) ||
      (form.params.findIndex((p) => p.key === key) !== i ? `${key} is swept twice` : '') ||
      ('error' in parsed ? parsed.error : '') ||
      ('range' in parsed && !random ? 'a range is for random draws: choose random draws, or list values with |' : '') ||
      ('error' in parsed ? '' : valuesProblem(baseQuery, key, parsed));
    errors.params.push(problem);
    if (!('error' in parsed)) params.push({ key, ...parsed });
  }
  const configs = random ? form.draws : params.reduce((n, p) => n * ('values' in p ? p.values.length : 1), 1);
  const count = params.length === form.params.length && params.length > 0 && !errors.repeats && !errors.draws ? configs * form.repeats : null;
  if (count !== null && count > MAX_SWEEP_RUNS) errors.total = `${count} runs: more than the limit of ${MAX_SWEEP_RUNS} runs per sweep`;
  const ok = count !== null && [errors.drawSeed, errors.total, ...errors.params].every((e) => !e);
  if (!ok) return { plan: null, count, errors };
  const definition: SweepDefinition = {
    mode: form.mode, params, draws: random ? form.draws : null, repeats: form.repeats, draw_seed: form.drawSeed,
    split_seed: splitSeedOf(base), base_query: baseQuery,
  };
  try {
    return { plan: { definition, ...expand(definition) }, count, errors };
  } catch (e) {
    return { plan: null, count, errors: { ...errors, total: (e as Error).message } };
  }
}

type Config = Record<string, string>;

function gridConfigs(params: SweepParam[]): Config[] {
  return params.reduce<Config[]>((acc, p) => acc.flatMap((c) => ('values' in p ? p.values : []).map((v) => ({ ...c, [p.key]: v }))), [{}]);
}

function randomConfigs(params: SweepParam[], draws: number, seed: number): Config[] {
  const rng = createRng(seed);
  const draw = (p: SweepParam): string => ('values' in p ? p.values[rng.int(p.values.length)] : fmtNum(drawInRange(p.range, rng)));
  return Array.from({ length: draws }, () => Object.fromEntries(params.map((p) => [p.key, draw(p)])));
}

/** The sweep's runs in training order: each configuration with seeds 1..repeats. Throws SweepDefinitionError. */
export const expandSweep = (def: SweepDefinition): SweepRun[] => expand(def).runs;

function expand(def: SweepDefinition): { runs: SweepRun[]; epochs: number[] } {
  const configs = def.mode === 'grid' ? gridConfigs(def.params) : randomConfigs(def.params, def.draws ?? 0, def.draw_seed);
  const runs: SweepRun[] = [];
  const epochs: number[] = [];
  configs.forEach((values, config) => {
    for (let seed = 1; seed <= def.repeats; seed++) {
      const { state, problems } = withValues(def.base_query, { ...values, seed: String(seed), sseed: String(def.split_seed) });
      if (problems.length) throw new SweepDefinitionError(`run ${runs.length + 1} cannot be made: ${problems.join('; ')}`);
      const query = runQueryOf(state);
      const written = new URLSearchParams(query);
      const canonical = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, written.get(k) ?? v]));
      runs.push({ index: runs.length, config_index: config, seed, query, values: canonical, run_id: null, status: 'pending' });
      epochs.push(state.config.epochs);
    }
  });
  return { runs, epochs };
}

/** The form that asks for `def` (a stored sweep shown again). */
export function sweepFormOf(def: SweepDefinition): SweepForm {
  return {
    params: def.params.map((p) => ({ key: p.key, text: 'values' in p ? p.values.join('|') : rangeText(p.range) })),
    mode: def.mode, repeats: def.repeats, draws: def.draws ?? DEFAULT_SWEEP_FORM.draws, drawSeed: def.draw_seed,
  };
}

/** Whether two definitions ask for the same runs of the same swept keys (the base's other settings aside). */
export function sameSweep(a: SweepDefinition, b: SweepDefinition): boolean {
  const key = (d: SweepDefinition) => JSON.stringify([d.mode, d.params, d.draws, d.repeats, d.mode === 'random' ? d.draw_seed : 0, d.split_seed]);
  return key(a) === key(b);
}

/** A short name: `lr × batch, grid, 2 seeds` or `lr, wd: 20 random draws, 3 seeds`. */
export function describeSweep(def: SweepDefinition): string {
  const seeds = `${def.repeats} seed${def.repeats === 1 ? '' : 's'}`;
  return def.mode === 'grid'
    ? `${def.params.map((p) => p.key).join(' × ')}, grid, ${seeds}`
    : `${def.params.map((p) => p.key).join(', ')}: ${def.draws} random draws, ${seeds}`;
}

/**
 * The Lab's state showing run `query` (its sweep form kept): the parts that did not change keep their
 * objects, so the Lab's data is not prepared again for a run that trains on the same split.
 */
export function shownState(query: string, current: LabState): LabState {
  const next: LabState = { ...parseLabState(query).state, sweep: current.sweep };
  for (const k of ['synthetic', 'ratios', 'own', 'mlp', 'cnn', 'config'] as const) {
    if (JSON.stringify(next[k]) === JSON.stringify(current[k])) Object.assign(next, { [k]: current[k] });
  }
  return next;
}
