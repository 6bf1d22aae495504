// Small real tfjs models for Try it's tests: one trained a little on a 2-D split, and any model as
// the SavedModel the run store keeps (what the trainer's snapshots hold).
import * as tf from '@tensorflow/tfjs';
import type { DatasetSplit, SavedModel } from '../../src/training/types';

/** `model` as the store keeps weights: topology, weight specs and data. */
export async function savedModel(model: tf.LayersModel): Promise<SavedModel> {
  let out: SavedModel | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      out = { modelTopology: a.modelTopology, weightSpecs: a.weightSpecs!, weightData: a.weightData as ArrayBuffer, format: 'layers-model' };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return out!;
}

/** An MLP (2 → 16 relu → classes) trained `epochs` epochs on the split's train part. */
export async function trained2d(split: DatasetSplit, epochs = 10): Promise<tf.LayersModel> {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [2], units: 16, activation: 'relu' }));
  model.add(tf.layers.dense({ units: split.classNames.length, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'sparseCategoricalCrossentropy' });
  const [x, y] = [tf.tensor2d(split.train.x, [split.train.n, 2]), tf.tensor1d(split.train.y, 'float32')];
  await model.fit(x, y, { epochs, batchSize: 32, verbose: 0 });
  tf.dispose([x, y]);
  return model;
}
