// A SavedModel as files in the tfjs LayersModel format: model.json + one weights.bin, what
// `tf.loadLayersModel('…/model.json')` fetches over http and tensorflowjs_converter reads.
import type { SavedModel } from '../training/types';

export const WEIGHTS_FILE = 'weights.bin';

/** The model.json of the tfjs LayersModel format, pointing at a single weights.bin. */
export function modelJson(saved: SavedModel): Record<string, unknown> {
  return {
    modelTopology: saved.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: saved.weightSpecs }],
    format: saved.format ?? 'layers-model',
    generatedBy: saved.generatedBy ?? 'TensorFlow.js',
    convertedBy: saved.convertedBy ?? null,
    ...(saved.trainingConfig !== undefined ? { trainingConfig: saved.trainingConfig } : {}),
  };
}

export interface ModelFile {
  name: string; // 'model.json' or 'weights.bin'
  data: string | ArrayBuffer;
}

export function modelFiles(saved: SavedModel): ModelFile[] {
  return [
    { name: 'model.json', data: JSON.stringify(modelJson(saved)) },
    { name: WEIGHTS_FILE, data: saved.weightData },
  ];
}

export const checkpointFolder = (epoch: number): string => `checkpoint_epoch_${epoch}`;
export const BEST_MODEL_FOLDER = 'best_model';
