// A lab run stored as the lab stores it: its record, then each epoch with its snapshot (saveEpoch).
import { applyEvent, createRunRecord } from '../../src/recorder/recorder';
import type { LabRunRecord } from '../../src/recorder/run-record';
import type { RunStore } from '../../src/recorder/run-store';
import { at, epochEvent, makeInit, makeSnapshot, started } from './run-fixtures';

/** A running record `id` stored in `into` with its first `epochs` epochs saved (best: epochs 1–2; periodic: even epochs). */
export async function saveRun(into: RunStore, epochs: number, id = 'mlp_20260315_090502', weightBytes = 256): Promise<LabRunRecord> {
  let r: LabRunRecord = { ...applyEvent(createRunRecord(makeInit()), started(), at(1)), run_id: id, run_name: id };
  await into.putRun(r);
  for (let k = 1; k <= epochs; k++) {
    const snap = makeSnapshot(k, { isBest: k <= 2, isPeriodic: k % 2 === 0, weightBytes });
    r = await into.saveEpoch(applyEvent(r, epochEvent(k, snap), at(1 + 2 * k)), snap);
  }
  return r;
}
