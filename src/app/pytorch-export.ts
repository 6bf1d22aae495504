// Export as PyTorch, for a stored run (the run view and the Lab after training): the run's initial
// weights, its split rebuilt exactly as it trained (built-in sets in the dataset worker, own data from
// the file open in the Lab or the copy kept in this browser, checked by SHA-256), the zip, the download.
// The exporter (and train.py's text) loads only when this is used.
import { refOf } from '../recorder/checkpoint-refs';
import type { LabRunRecord } from '../recorder/run-record';
import type { RunStore } from '../recorder/run-store';
import type { ExportSplit } from '../export/pytorch/data-files';
import type { PytorchExportInput } from '../export/pytorch/index';
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
  const initialRef = refOf(record, 'initial');
  const initial = initialRef ? await store.getArtifact(initialRef.key) : undefined;
  // A run stored before initial weights were kept: another snapshot's topology, and train.py initialises.
  const otherRef = initial ? undefined : (refOf(record, 'best') ?? refOf(record, 'latest'));
  const other = otherRef ? await store.getArtifact(otherRef.key) : undefined;
  onBusy('Rebuilding the run’s split…');
  const split = await rebuildRunSplit(record, data);
  return { record, split, initial: initial?.model ?? null, topology: other?.model ?? null, exportedAt: new Date() };
}

/** Builds `{run_id}_pytorch.zip` and saves it; `onBusy` gets what is under way. Rejects with a readable error. */
export async function exportPytorch(store: RunStore, record: LabRunRecord, data: DataAccess, onBusy: (text: string) => void, signal?: AbortSignal): Promise<void> {
  const input = await pytorchExportInput(store, record, data, onBusy);
  const { buildPytorchZip, pytorchZipName } = await import('../export/pytorch/index');
  const blob = await buildPytorchZip(input, { signal, onProgress: (f) => onBusy(`Building the PyTorch export… ${Math.round(f * 100)} %`) });
  saveBlob(blob, pytorchZipName(record));
}
