// Older schema versions on read: a raw record of any earlier schema becomes a raw record of the
// current one, one step per version. Validation comes after (run-record-validate.ts).
//
// To add schema n + 1: raise SCHEMA_VERSION in run-record.ts, write `vNToVN1` below (it returns the
// record with `schema_version: n + 1`), append it to MIGRATIONS, and add a fixture and a test for
// schema n. The type of MIGRATIONS fails to compile while a step is missing.
import { SCHEMA_VERSION } from './run-record';
import { fail, int, isObject, RunRecordError } from './run-record-fields';
import type { Json } from './run-record-fields';

/** One step: turns a raw version-n record into a raw version-(n + 1) record. */
export type Migration = (r: Json) => Json;

/** Schema 0 (the first prototype) to 1: adds schema_version, environment, checkpoints, notes and tags. */
function v0ToV1(r: Json): Json {
  const device = isObject(r.config) ? r.config.device : null;
  const environment: Json = {
    user_agent: 'unknown (recorded before schema 1)',
    backend: typeof device === 'string' ? device : null,
    backend_forced: false,
    backends_skipped: [],
    webgpu_adapter: null,
    webgl_renderer: null,
    tfjs_version: null,
    app_version: 'unknown',
    hardware_concurrency: null,
  };
  return { ...r, schema_version: 1, environment, checkpoints: [], notes: '', tags: [] };
}

/**
 * Schema 1 to 2: every schema-1 record was trained here, so its origin is the lab. Schema 2 only
 * widened types and made fields optional, so the rest of a schema-1 record reads unchanged.
 */
function v1ToV2(r: Json): Json {
  return { ...r, schema_version: 2, origin: { kind: 'lab' } };
}

/**
 * Schema 2 to 3: no schema-2 run trained here weighted its loss or read a person's own data, so a
 * lab record (trained here, or a TrainLab run.zip imported) gets class_weights false, no weights and
 * no data file. An imported reference run keeps them absent, except that the reference's own
 * boolean `class_weights`, which schema 2 kept in config.extra, becomes config.class_weights.
 */
function v2ToV3(r: Json): Json {
  const config: Json = isObject(r.config) ? { ...r.config } : {};
  const dataset: Json = isObject(r.dataset) ? { ...r.dataset } : {};
  const origin = isObject(r.origin) ? r.origin : {};
  if (origin.kind === 'lab' || (origin.kind === 'imported' && origin.format === 'trainlab')) {
    config.class_weights ??= false;
    config.class_weight_values ??= null;
    dataset.data_file ??= null;
  }
  const extra = config.extra;
  if (isObject(extra) && typeof extra.class_weights === 'boolean' && config.class_weights === undefined) {
    const { class_weights: weighted, ...rest } = extra;
    config.class_weights = weighted;
    if (Object.keys(rest).length > 0) config.extra = rest;
    else delete config.extra;
  }
  return { ...r, schema_version: 3, ...(isObject(r.config) ? { config } : {}), ...(isObject(r.dataset) ? { dataset } : {}) };
}

/**
 * Schema 3 to 4: a run before schema 4 split its data with its one seed and was in no sweep; its
 * initial weights were not kept. A lab record gets split_seed = seed and sweep_id null.
 */
function v3ToV4(r: Json): Json {
  const origin = isObject(r.origin) ? r.origin : {};
  if (!(origin.kind === 'lab' || (origin.kind === 'imported' && origin.format === 'trainlab'))) return { ...r, schema_version: 4 };
  const config: Json | undefined = isObject(r.config) ? { ...r.config } : undefined;
  if (config) config.split_seed ??= config.seed ?? null;
  return { ...r, schema_version: 4, sweep_id: r.sweep_id ?? null, ...(config ? { config } : {}) };
}

/** Schema 4 to 5: no run before schema 5 recorded its per-class recall per epoch: an empty list. */
function v4ToV5(r: Json): Json {
  return { ...r, schema_version: 5, per_class_recall_history: [] };
}

/** Schema 5 to 6: `environment.training_step` is optional; older records simply lack it. */
function v5ToV6(r: Json): Json {
  return { ...r, schema_version: 6 };
}

/** The chain: MIGRATIONS[n] turns a version-n record into version n + 1; one step per older schema. */
export const MIGRATIONS: readonly Migration[] & { length: typeof SCHEMA_VERSION } = [v0ToV1, v1ToV2, v2ToV3, v3ToV4, v4ToV5, v5ToV6];

/** The schema version a raw record declares; a record without one is version 0. */
function versionOf(r: Json): number {
  if (!('schema_version' in r)) return 0;
  const v = int(r.schema_version, 'schema_version');
  if (v > SCHEMA_VERSION) {
    throw new RunRecordError(`run record: written by a newer TrainLab (schema ${v}); this version reads up to ${SCHEMA_VERSION}`, 'schema_version');
  }
  return v;
}

/** Upgrades a raw record of any older schema to the current one (not yet validated). */
export function migrateRunRecord(x: unknown): Json {
  if (!isObject(x)) fail('', 'an object', x);
  let r: Json = x;
  for (let v = versionOf(r); v < SCHEMA_VERSION; v++) r = MIGRATIONS[v](r);
  return r;
}
