// Snapshots of a training run (trainer.ts): the model with its optimizer state as a SavedModel
// (tfjs LayersModel format, loadable with tf.loadLayersModel(tf.io.fromMemory(saved))), a plain-JS
// copy of the weights alone for model selection, and the way back into a freshly built model.
import * as tf from '@tensorflow/tfjs';
import type { SavedModel } from './types';

type WeightSpec = SavedModel['weightSpecs'][number];

/** The model's own weights (no optimizer state), kept in JS memory: no tensors, no GPU memory. */
export interface WeightsCopy {
  epoch: number; // the epoch after which they were taken (0: before any)
  specs: WeightSpec[];
  data: ArrayBuffer;
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

function byteLength(spec: WeightSpec): number {
  const size = BYTES_PER_ELEMENT[spec.dtype];
  if (spec.quantization || size === undefined) throw new Error(`unsupported weight ${spec.name}: dtype ${spec.dtype}${spec.quantization ? ', quantized' : ''}`);
  return spec.shape.reduce((a, b) => a * b, 1) * size;
}

const isOptimizerSpec = (s: WeightSpec) => s.group === 'optimizer';

/**
 * model.save with includeOptimizer into memory. The model must be compiled with the optimizer.
 * tfjs 4.22's Optimizer.saveIterations() makes a new int32 scalar 'iter' on every save that nobody
 * disposes; it is disposed here so that a snapshot per epoch does not leak a tensor per epoch.
 */
export async function saveModel(model: tf.LayersModel): Promise<SavedModel> {
  const optimizer = model.optimizer;
  if (!optimizer) throw new Error('saveModel needs a compiled model (the optimizer state is saved with it)');
  const own = Object.prototype.hasOwnProperty.call(optimizer, 'getWeights');
  const getWeights = optimizer.getWeights;
  const iterTensors: tf.Tensor[] = [];
  optimizer.getWeights = async () => {
    const weights = await getWeights.call(optimizer);
    // Only the iteration counter is new; the other entries are the optimizer's live variables.
    for (const w of weights) if (w.name === 'iter') iterTensors.push(w.tensor);
    return weights;
  };
  let artifacts: tf.io.ModelArtifacts | null = null;
  try {
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
      { includeOptimizer: true },
    );
  } finally {
    if (own) optimizer.getWeights = getWeights;
    else delete (optimizer as Partial<tf.Optimizer>).getWeights;
    tf.dispose(iterTensors);
  }
  const a = artifacts as tf.io.ModelArtifacts | null;
  if (!a?.weightData || !a.weightSpecs) throw new Error('model.save gave no weights');
  const saved: SavedModel = {
    modelTopology: a.modelTopology,
    weightSpecs: a.weightSpecs.map((s) => ({ ...s, shape: [...s.shape] })),
    // tfjs 4.22 types weightData as ArrayBuffer | ArrayBuffer[]; the contract wants one buffer.
    weightData: Array.isArray(a.weightData) ? tf.io.concatenateArrayBuffers(a.weightData) : a.weightData,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy,
  };
  if (a.trainingConfig) saved.trainingConfig = a.trainingConfig;
  return saved;
}

/** A copy of the model weights of a SavedModel (the optimizer's entries left out). */
export function copyModelWeights(saved: SavedModel, epoch: number): WeightsCopy {
  const specs: WeightSpec[] = [];
  const ranges: [number, number][] = [];
  let offset = 0;
  for (const spec of saved.weightSpecs) {
    const bytes = byteLength(spec);
    if (!isOptimizerSpec(spec)) {
      specs.push(spec);
      ranges.push([offset, bytes]);
    }
    offset += bytes;
  }
  if (offset !== saved.weightData.byteLength) {
    throw new Error(`saved weights have ${saved.weightData.byteLength} bytes, their specs describe ${offset}`);
  }
  const data = new Uint8Array(ranges.reduce((a, [, n]) => a + n, 0));
  const source = new Uint8Array(saved.weightData);
  let at = 0;
  for (const [start, n] of ranges) {
    data.set(source.subarray(start, start + n), at);
    at += n;
  }
  return { epoch, specs, data: data.buffer };
}

/** Sets the model's weights by name; throws if one is missing or has another shape. */
export function loadModelWeights(model: tf.LayersModel, weights: { specs: WeightSpec[]; data: ArrayBuffer }): void {
  const tensors = tf.io.decodeWeights(weights.data, weights.specs as tf.io.WeightsManifestEntry[]);
  try {
    model.loadWeights(tensors, true);
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/**
 * Puts a snapshot back into a freshly built model and a fresh optimizer of the same kind: model
 * weights by name, then the optimizer's weights (iteration counter first, then its slots in the
 * order tfjs saved them, e.g. Adam's first then second moments) through optimizer.setWeights, as
 * tf.loadLayersModel does. A snapshot without optimizer entries leaves the optimizer fresh.
 * Returns the optimizer's iteration count after the restore.
 */
export async function restoreSnapshot(model: tf.LayersModel, optimizer: tf.Optimizer, saved: SavedModel): Promise<number> {
  loadModelWeights(model, copyModelWeights(saved, 0));
  const specs = saved.weightSpecs.filter(isOptimizerSpec);
  if (specs.length === 0) return optimizer.iterations;
  if (specs[0].name !== 'iter') throw new Error(`unexpected optimizer weights: ${specs.map((s) => s.name).join(', ')}`);
  const tensors = tf.io.decodeWeights(saved.weightData, saved.weightSpecs as tf.io.WeightsManifestEntry[]);
  try {
    // setWeights makes its own variables from these (sharing data), so all decoded tensors go.
    await optimizer.setWeights(specs.map((s) => ({ name: s.name, tensor: tensors[s.name] })));
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return optimizer.iterations;
}
