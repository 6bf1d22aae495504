// The gate a SweepRecord passes where it enters from outside the type system (an IndexedDB read, a
// comparison.zip read back): each field checked and a new, typed record built from what was checked.
// Nothing is cast; unknown keys are dropped. Uses run-record-fields.ts's readers.
import { Fields, RunRecordError, arrayOf, fail, int, isObject, nullable, oneOf, optional, str, time, type Parser } from './run-record-fields';
import { SWEEP_RUN_STATUSES, SWEEP_SCHEMA_VERSION, SWEEP_STATUSES, type SweepDefinition, type SweepParam, type SweepRecord, type SweepRun } from './sweep-record';

/** A value that is not a SweepRecord; `path` names the offending field (`runs[3].status`). */
export class SweepRecordError extends Error {
  override name = 'SweepRecordError';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

const param: Parser<SweepParam> = (v, path) => {
  const f = Fields.of(v, path);
  const key = f.str('key');
  if (isObject(v) && 'values' in v) return { key, values: f.get('values', arrayOf(str)) };
  const r = f.sub('range');
  const range = { min: r.num('min'), max: r.num('max'), scale: r.get('scale', oneOf(['linear', 'log'] as const)), integer: r.bool('integer') };
  return range.min < range.max ? { key, range } : fail(`${path}.range`, 'a range with min below max', v);
};

const definition: Parser<SweepDefinition> = (v, path) => {
  const f = Fields.of(v, path);
  return {
    mode: f.get('mode', oneOf(['grid', 'random'] as const)),
    params: f.get('params', arrayOf(param)),
    draws: f.get('draws', nullable(int)),
    repeats: f.int('repeats'),
    draw_seed: f.num('draw_seed'),
    split_seed: f.num('split_seed'),
    base_query: f.str('base_query'),
  };
};

const values: Parser<Record<string, string>> = (v, path) =>
  isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, str(x, `${path}.${k}`)])) : fail(path, 'an object', v);

const run: Parser<SweepRun> = (v, path) => {
  const f = Fields.of(v, path);
  const reason = f.get('reason', optional(str));
  return {
    index: f.int('index'),
    config_index: f.int('config_index'),
    seed: f.num('seed'),
    query: f.str('query'),
    values: f.get('values', values),
    run_id: f.get('run_id', nullable(str)),
    status: f.get('status', oneOf(SWEEP_RUN_STATUSES)),
    ...(reason !== undefined ? { reason } : {}),
  };
};

function parse(x: unknown): SweepRecord {
  const f = Fields.of(x, '');
  const record: SweepRecord = {
    schema_version: f.get('schema_version', oneOf([SWEEP_SCHEMA_VERSION])),
    sweep_id: f.str('sweep_id'),
    name: f.str('name'),
    created_at: f.get('created_at', time),
    updated_at: f.get('updated_at', time),
    status: f.get('status', oneOf(SWEEP_STATUSES)),
    status_reason: f.str('status_reason'),
    definition: f.get('definition', definition),
    swept_keys: f.get('swept_keys', arrayOf(str)),
    runs: f.get('runs', arrayOf(run)),
  };
  if (!record.sweep_id) fail('sweep_id', 'a non-empty string', record.sweep_id);
  record.runs.forEach((r, i) => r.index === i || fail(`runs[${i}].index`, `${i} (runs in training order)`, r.index));
  return record;
}

/** Checks `x`; returns a new SweepRecord or throws SweepRecordError naming the bad field. */
export function validateSweepRecord(x: unknown): SweepRecord {
  try {
    return parse(x);
  } catch (e) {
    if (e instanceof RunRecordError) throw new SweepRecordError(e.message.replace(/^run record/, 'sweep record'), e.path);
    throw e;
  }
}
