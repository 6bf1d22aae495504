// A run folder as train.py writes it (src/export/pytorch/train.py write_run_folder): results_summary.json,
// config.json, training_history.csv and best_model/ (model.json + weights.bin, saved by tfjs itself),
// for a browser run `lab`; as loose files of a folder pick or as one zip.
import * as tf from '@tensorflow/tfjs';
import JSZip from 'jszip';
import type { SourceFile } from '../../src/compare/import-sources';
import type { LabRunRecord } from '../../src/recorder/run-record';
import { runConfig } from '../../src/export/json-files';
import { browserRun } from '../../src/export/pytorch/export-config';

export const PYTORCH_RUN_ID = 'mlp_20261201_120000';

/** model.json (tfjs layout, weights.bin in its manifest) and weights.bin of `model`, as tfjs saves them. */
export async function savedFiles(model: tf.LayersModel): Promise<{ json: string; bin: Uint8Array }> {
  let out: { json: string; bin: Uint8Array } | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const weightData = a.weightData as ArrayBuffer;
      const json = { modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }], format: 'layers-model', generatedBy: 'test', convertedBy: null };
      out = { json: JSON.stringify(json), bin: new Uint8Array(weightData.slice(0)) };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return out!;
}

/** The folder's files, by path inside it; `testAccuracy` is what PyTorch recorded (percent). */
export function runFolderFiles(lab: LabRunRecord, model: { json: string; bin: Uint8Array }, testAccuracy = 77.5): Map<string, string | Uint8Array> {
  const h = lab.history;
  const summary = {
    model_name: lab.model_name,
    model_parameters: lab.model_parameters,
    start_time: '2026-12-01T12:00:00.000+00:00',
    end_time: '2026-12-01T12:00:09.000+00:00',
    training_duration_seconds: 9,
    training_duration_formatted: '0:00:09',
    config: { ...lab.config, device: 'cpu' },
    dataset: lab.dataset,
    training: { ...lab.training, model_selection_method: 'validation_loss' },
    test: { test_loss: 0.4, test_accuracy: testAccuracy },
    run_id: PYTORCH_RUN_ID,
    status: 'completed',
    status_reason: '',
    history: h,
    exported_from: browserRun(lab),
  };
  const config = { ...runConfig(lab), run_id: PYTORCH_RUN_ID, device: 'cpu', epochs: lab.config.epochs, framework: 'PyTorch 1.13', exported_from: lab.run_id };
  delete (config as { schema_version?: unknown }).schema_version;
  const cols = ['epoch', 'train_loss', 'train_acc', 'val_loss', 'val_acc', 'learning_rate'] as const;
  const csv = [cols.join(','), ...h.map((e) => cols.map((c) => e[c]).join(','))].join('\n') + '\n';
  return new Map<string, string | Uint8Array>([
    ['results_summary.json', JSON.stringify(summary)],
    ['config.json', JSON.stringify(config)],
    ['training_history.csv', csv],
    ['best_model/model.json', model.json],
    ['best_model/weights.bin', model.bin],
  ]);
}

/** As a folder pick: each file with its webkitRelativePath. */
export function asFolder(files: Map<string, string | Uint8Array>): SourceFile[] {
  return [...files].map(([p, v]) => ({ name: p.split('/').pop()!, path: `${PYTORCH_RUN_ID}/${p}`, blob: new Blob([v as BlobPart]) }));
}

/** As one zip with the run folder inside. */
export async function asZip(files: Map<string, string | Uint8Array>): Promise<SourceFile[]> {
  const zip = new JSZip();
  for (const [p, v] of files) zip.file(`${PYTORCH_RUN_ID}/${p}`, v);
  return [{ name: `${PYTORCH_RUN_ID}.zip`, path: '', blob: await zip.generateAsync({ type: 'blob' }) }];
}
