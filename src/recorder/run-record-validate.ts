// The gate every RunRecord passes when it enters from outside the type system (IndexedDB read, zip
// import): migrate older schema versions, then check the structure field by field and build a new,
// fully typed record from what was checked. Nothing is cast; unknown keys are dropped.
// The parts: run-record-fields.ts (generic readers), run-record-migrate.ts (older schemas),
// run-record-parse.ts (the current schema), run-record-lab.ts (the lab-shaped narrowing).
import type { LabRunRecord, RunRecord } from './run-record';
import { labRecord } from './run-record-lab';
import { migrateRunRecord } from './run-record-migrate';
import { checkShapes, parseCurrent } from './run-record-parse';

export { RunRecordError } from './run-record-fields';
export { asLabRecord, labRecord } from './run-record-lab';
export { migrateRunRecord } from './run-record-migrate';

/** Migrates and checks `x`; returns a new RunRecord or throws RunRecordError naming the bad field. */
export function validateRunRecord(x: unknown): RunRecord {
  const record = parseCurrent(migrateRunRecord(x));
  checkShapes(record);
  if (record.origin.kind === 'lab') labRecord(record); // a lab record that lost a lab field is damaged
  return record;
}

/** validateRunRecord for a record that must be lab-shaped (the recorder's, resume's and run.zip's input). */
export function validateLabRecord(x: unknown): LabRunRecord {
  return labRecord(validateRunRecord(x));
}
