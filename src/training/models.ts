// Builds the tfjs model for a ModelSpec. Layer names come from architecture.ts so the pure planner
// and the real model print the same table. Pure with respect to the UI: no DOM, no events.
import * as tf from '@tensorflow/tfjs';
import { layerNames, planArchitecture, POOL_SIZE } from './architecture';
import type { Activation, CnnSpec, LayerInfo, MlpSpec, ModelSpec } from './types';

/** A distinct, reproducible initialiser seed for each layer of a run. */
export function layerSeed(runSeed: number, layerIndex: number): number {
  // Knuth multiplicative hash of (seed, index), kept a non-negative 31-bit integer.
  return ((Math.imul(runSeed | 0, 2654435761) ^ Math.imul(layerIndex + 1, 40503)) >>> 0) % 2147483647;
}

/** He-normal for rectifier-like activations, Glorot-uniform for saturating ones and the softmax output. */
function kernelInitializer(activation: Activation | 'softmax', seed: number) {
  return activation === 'relu' || activation === 'elu'
    ? tf.initializers.heNormal({ seed })
    : tf.initializers.glorotUniform({ seed });
}

/** Creates one layer; the first layer of the model also receives the input shape. */
type LayerMaker = (first: { inputShape?: number[] }) => tf.layers.Layer;

/**
 * The model for `spec` on samples of `inputShape`, ending in Dense(numClasses, softmax) named
 * 'output'. The same seed gives the same initial weights. Throws ArchitectureError (from the
 * planner) for impossible shapes before touching tfjs.
 */
export function buildModel(spec: ModelSpec, inputShape: number[], numClasses: number, seed: number): tf.LayersModel {
  planArchitecture(spec, inputShape, numClasses); // validates, with readable errors
  let seedIndex = 0;
  const nextSeed = () => layerSeed(seed, seedIndex++);
  const makers = spec.kind === 'mlp' ? mlpLayers(spec, inputShape, nextSeed) : cnnLayers(spec, nextSeed);
  makers.push((first) => denseLayer(first, layerNames.output, numClasses, 'softmax', nextSeed()));
  const model = tf.sequential({ name: spec.kind });
  makers.forEach((make, i) => model.add(make(i === 0 ? { inputShape } : {})));
  return model;
}

function denseLayer(
  first: { inputShape?: number[] },
  name: string,
  units: number,
  activation: Activation | 'softmax',
  seed: number,
): tf.layers.Layer {
  return tf.layers.dense({
    ...first,
    name,
    units,
    activation,
    kernelInitializer: kernelInitializer(activation, seed),
    biasInitializer: 'zeros',
  });
}

// No dropout seed: a seeded tf.dropout draws the same mask on every batch.
const dropoutLayer = (name: string, rate: number): LayerMaker => (first) => tf.layers.dropout({ ...first, name, rate });

function mlpLayers(spec: MlpSpec, inputShape: number[], nextSeed: () => number): LayerMaker[] {
  const makers: LayerMaker[] = [];
  if (inputShape.length > 1) makers.push((first) => tf.layers.flatten({ ...first, name: layerNames.flatten }));
  spec.hidden.forEach((units, i) => {
    const seed = nextSeed();
    makers.push((first) => denseLayer(first, layerNames.dense(i + 1), units, spec.activation, seed));
    if (spec.dropout > 0) makers.push(dropoutLayer(layerNames.dropout(i + 1), spec.dropout));
  });
  return makers;
}

function cnnLayers(spec: CnnSpec, nextSeed: () => number): LayerMaker[] {
  const makers: LayerMaker[] = [];
  spec.filters.forEach((filters, i) => {
    const seed = nextSeed();
    makers.push((first) =>
      tf.layers.conv2d({
        ...first,
        name: layerNames.conv(i + 1),
        filters,
        kernelSize: spec.kernelSize,
        padding: 'same',
        activation: spec.activation,
        kernelInitializer: kernelInitializer(spec.activation, seed),
        biasInitializer: 'zeros',
      }),
    );
    makers.push(() => tf.layers.maxPooling2d({ name: layerNames.pool(i + 1), poolSize: POOL_SIZE, strides: POOL_SIZE }));
  });
  makers.push(() => tf.layers.flatten({ name: layerNames.flatten }));
  if (spec.dense > 0) {
    const seed = nextSeed();
    makers.push((first) => denseLayer(first, layerNames.dense(1), spec.dense, spec.activation, seed));
  }
  if (spec.dropout > 0) makers.push(dropoutLayer(layerNames.dropout(1), spec.dropout));
  return makers;
}

/** The layer table of a built model, in the same form as planArchitecture's. */
export function describeModel(model: tf.LayersModel): LayerInfo[] {
  return model.layers.map((l) => {
    const shape = l.outputShape;
    if (Array.isArray(shape[0])) throw new Error(`layer ${l.name} has several outputs`);
    return {
      name: l.name,
      type: l.getClassName(),
      outputShape: [...(shape as (number | null)[])],
      params: l.countParams(),
      trainable: l.trainable,
    };
  });
}
