// Export as PyTorch, for a stored run (the run view and the Lab after training): the run's initial
// weights, its split rebuilt exactly as it trained (built-in sets in the dataset worker, own data from
// the file open in the Lab or the copy kept in this browser, checked by SHA-256), the zip, the download.
// A sweep: its ended runs, their split rebuilt once (they share it), one zip.
// The exporter (and train.py's text) loads only when this is used.
import { refOf } from '../recorder/checkpoint-refs';
import type { LabRunRecord } from '../recorder/run-record';
import type { RunStore } from '../recorder/run-store';
import type { ExportSplit } from '../export/pytorch/data-files';
import type { PytorchExportInput } from '../export/pytorch/index';
import type { PytorchSweepInput, SweepRunInput } from '../export/pytorch/sweep';
import { asLabRecord } from '../recorder/run-record-validate';
import type { SweepRecord } from '../recorder/sweep-record';
import { parseLabState } from '../url-state';
import { labStateOf, rebuildCheckedData, type DataAccess } from './run-continuation';
import { saveBlob } from './run-exports';

/** The run's split rebuilt from its record (the same code as Resume), or a readable error. */
export async function rebuildRunSplit(record: LabRunRecord, data: DataAccess): Promise<ExportSplit> {
  return (await rebuildCheckedData(record, labStateOf(record, parseLabState('').state), data, 'export')).split;
}

/** What the export of a stored run needs: its record, initial weights (or another snapshot's topology) and rebuilt split. */
export async function pytorchExportInput(store: RunStore, record: LabRunRecord, data: DataAccess, onBusy: (text: string) => void = () => {}): Promise<PytorchExportInput> {
  if (record.status === 'running') throw new Error(`${record.run_id} is still training: export it once it has ended`);
  onBusy('Reading the run…');
  const { initial, topology } = await startingModel(store, record);
  onBusy('Rebuilding the run’s split…');
  const split = await rebuildRunSplit(record, data);
  return { record, split, initial, topology, exportedAt: new Date() };
}

/** The run's initial weights, or (a run stored before they were kept) another snapshot's topology. */
async function startingModel(store: RunStore, record: LabRunRecord): Promise<Omit<SweepRunInput, 'record'>> {
  const initialRef = refOf(record, 'initial');
  const initial = initialRef ? await store.getArtifact(initialRef.key) : undefined;
  // A run stored before initial weights were kept: another snapshot's topology, and train.py initialises.
  const otherRef = initial ? undefined : (refOf(record, 'best') ?? refOf(record, 'latest'));
  const other = otherRef ? await store.getArtifact(otherRef.key) : undefined;
  return { initial: initial?.model ?? null, topology: other?.model ?? null };
}

/** Builds `{run_id}_pytorch.zip` and saves it; `onBusy` gets what is under way. Rejects with a readable error. */
export async function exportPytorch(store: RunStore, record: LabRunRecord, data: DataAccess, onBusy: (text: string) => void, signal?: AbortSignal): Promise<void> {
  const input = await pytorchExportInput(store, record, data, onBusy);
  const { buildPytorchZip, pytorchZipName } = await import('../export/pytorch/index');
  const blob = await buildPytorchZip(input, { signal, onProgress: (f) => onBusy(`Building the PyTorch export… ${Math.round(f * 100)} %`) });
  saveBlob(blob, pytorchZipName(record));
}

/** What the export of a sweep needs: its runs that ended with their records stored, their starting models, their shared split. */
export async function pytorchSweepInput(store: RunStore, sweep: SweepRecord, data: DataAccess, onBusy: (text: string) => void = () => {}): Promise<PytorchSweepInput> {
  if (sweep.status === 'running' || sweep.status === 'interrupted') throw new Error(`${sweep.sweep_id} has not ended: export it once it has`);
  const runs: SweepRunInput[] = [];
  for (const planned of sweep.runs.filter((r) => r.status === 'done' && r.run_id)) {
    onBusy(`Reading run ${runs.length + 1}…`);
    const stored = await store.getRun(planned.run_id!);
    const record = stored && asLabRecord(stored);
    if (!record) throw new Error(`${planned.run_id} of ${sweep.sweep_id} is no longer stored in this browser: the sweep cannot be exported whole`);
    runs.push({ record, ...(await startingModel(store, record)) });
  }
  if (runs.length === 0) throw new Error(`${sweep.sweep_id} has no run that ended with its results stored: nothing to export`);
  onBusy('Rebuilding the sweep’s split…');
  const split = await rebuildRunSplit(runs[0].record, data);
  return { sweep, runs, split, exportedAt: new Date() };
}

/** Builds `{sweep_id}_pytorch.zip` and saves it; `onBusy` gets what is under way. Rejects with a readable error. */
export async function exportPytorchSweep(store: RunStore, sweep: SweepRecord, data: DataAccess, onBusy: (text: string) => void, signal?: AbortSignal): Promise<void> {
  const input = await pytorchSweepInput(store, sweep, data, onBusy);
  const { buildPytorchSweepZip, pytorchSweepZipName } = await import('../export/pytorch/sweep');
  const blob = await buildPytorchSweepZip(input, { signal, onProgress: (f) => onBusy(`Building the PyTorch export… ${Math.round(f * 100)} %`) });
  saveBlob(blob, pytorchSweepZipName(sweep));
}
