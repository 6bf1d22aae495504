// Pure architecture planner: the layer table (names, tfjs class names, output shapes, parameter
// counts) of the model that models.ts builds, computed by formula without tfjs. The UI shows it
// before training starts; a browser test checks it equals describeModel(buildModel(...)).
import type { CnnSpec, LayerInfo, MlpSpec, ModelSpec } from './types';

export interface ArchitecturePlan {
  layers: LayerInfo[];
  totalParams: number;
  trainableParams: number;
}

/** Thrown for a spec that cannot be built for the given input (shown to the user as is). */
export class ArchitectureError extends Error {
  override name = 'ArchitectureError';
}

/** The pooling every CNN block ends with: MaxPooling2D(poolSize 2, strides 2, padding 'valid'). */
export const POOL_SIZE = 2;

/** Layer names shared by the planner and the builder, so both tables agree by construction. */
export const layerNames = {
  dense: (i: number) => `dense_${i}`,
  dropout: (i: number) => `dropout_${i}`,
  conv: (i: number) => `conv2d_${i}`,
  pool: (i: number) => `max_pooling2d_${i}`,
  flatten: 'flatten',
  output: 'output',
} as const;

function positiveInt(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new ArchitectureError(`invalid ${what}: ${value}`);
  return value;
}

function checkDropout(rate: number): void {
  if (!Number.isFinite(rate) || rate < 0 || rate >= 1) throw new ArchitectureError(`invalid dropout rate: ${rate}`);
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function layer(name: string, type: string, outputShape: number[], params: number): LayerInfo {
  return { name, type, outputShape: [null, ...outputShape], params, trainable: true };
}

function dense(name: string, inUnits: number, units: number): LayerInfo {
  return layer(name, 'Dense', [units], inUnits * units + units);
}

/**
 * The layer table of buildModel(spec, inputShape, numClasses). Throws ArchitectureError for
 * impossible shapes (a CNN on non-image input, more pooling blocks than the image allows, ...).
 */
export function planArchitecture(spec: ModelSpec, inputShape: number[], numClasses: number): ArchitecturePlan {
  if (inputShape.length === 0) throw new ArchitectureError('input shape is empty');
  inputShape.forEach((d, i) => positiveInt(d, `input dimension ${i}`));
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new ArchitectureError(`a classifier needs at least 2 classes, got ${numClasses}`);
  }
  const layers = spec.kind === 'mlp' ? planMlp(spec, inputShape, numClasses) : planCnn(spec, inputShape, numClasses);
  const totalParams = layers.reduce((s, l) => s + l.params, 0);
  const trainableParams = layers.reduce((s, l) => s + (l.trainable ? l.params : 0), 0);
  return { layers, totalParams, trainableParams };
}

function planMlp(spec: MlpSpec, inputShape: number[], numClasses: number): LayerInfo[] {
  checkDropout(spec.dropout);
  const layers: LayerInfo[] = [];
  // Image input (rank > 1) is flattened first so the Dense layers see one feature vector.
  let units = product(inputShape);
  if (inputShape.length > 1) layers.push(layer(layerNames.flatten, 'Flatten', [units], 0));
  spec.hidden.forEach((h, i) => {
    positiveInt(h, `hidden layer ${i + 1} size`);
    layers.push(dense(layerNames.dense(i + 1), units, h));
    units = h;
    if (spec.dropout > 0) layers.push(layer(layerNames.dropout(i + 1), 'Dropout', [units], 0));
  });
  layers.push(dense(layerNames.output, units, numClasses));
  return layers;
}

function planCnn(spec: CnnSpec, inputShape: number[], numClasses: number): LayerInfo[] {
  if (inputShape.length !== 3) {
    throw new ArchitectureError(
      `a CNN needs image input [height, width, channels], got [${inputShape.join(', ')}]; use an MLP for tabular data`,
    );
  }
  checkDropout(spec.dropout);
  positiveInt(spec.kernelSize, 'kernel size');
  if (spec.filters.length === 0) throw new ArchitectureError('a CNN needs at least one convolution block');
  if (!Number.isInteger(spec.dense) || spec.dense < 0) throw new ArchitectureError(`invalid dense units: ${spec.dense}`);
  let [h, w, c] = inputShape as [number, number, number];
  const layers: LayerInfo[] = [];
  spec.filters.forEach((f, i) => {
    positiveInt(f, `filters of block ${i + 1}`);
    if (h < POOL_SIZE || w < POOL_SIZE) {
      throw new ArchitectureError(
        `too many pooling blocks for ${inputShape[0]}x${inputShape[1]} input: block ${i + 1} would pool a ${h}x${w} map`,
      );
    }
    // padding 'same' keeps height and width; the kernel sees all input channels.
    layers.push(layer(layerNames.conv(i + 1), 'Conv2D', [h, w, f], spec.kernelSize * spec.kernelSize * c * f + f));
    c = f;
    h = Math.floor((h - POOL_SIZE) / POOL_SIZE) + 1;
    w = Math.floor((w - POOL_SIZE) / POOL_SIZE) + 1;
    layers.push(layer(layerNames.pool(i + 1), 'MaxPooling2D', [h, w, c], 0));
  });
  let units = h * w * c;
  layers.push(layer(layerNames.flatten, 'Flatten', [units], 0));
  if (spec.dense > 0) {
    layers.push(dense(layerNames.dense(1), units, spec.dense));
    units = spec.dense;
  }
  if (spec.dropout > 0) layers.push(layer(layerNames.dropout(1), 'Dropout', [units], 0));
  layers.push(dense(layerNames.output, units, numClasses));
  return layers;
}
