// A module worker of its own that runs a stored model on a test split (Evaluate on the test split):
// tfjs on the cpu backend, so it never competes with a training run's GPU backend or its worker.
// Page → worker: the model (tfjs ModelArtifacts) and the inputs; back: the class probabilities.
/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import type { SavedModel } from './types';
import { serveCalls, Transfer, type CallContext } from './worker-rpc';

export interface EvaluateRequest {
  model: SavedModel;
  x: Float32Array; // n × prod(inputShape), row-major
  n: number;
  inputShape: number[];
  batchSize?: number;
}

/** Row-major n × numClasses. */
export interface EvaluateResult {
  probabilities: Float32Array;
  numClasses: number;
}

/** The model's class probabilities for every row of `x`, predicted in batches. */
export async function predictProbabilities(req: EvaluateRequest, ctx?: Pick<CallContext, 'signal' | 'progress'>): Promise<EvaluateResult> {
  const { model: m, x, n, inputShape } = req;
  const width = inputShape.reduce((a, b) => a * b, 1);
  if (x.length !== n * width) throw new RangeError(`the test split holds ${x.length} values, not ${n} × ${width}`);
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: m.modelTopology as tf.io.ModelJSON['modelTopology'], weightSpecs: m.weightSpecs as tf.io.WeightsManifestEntry[], weightData: m.weightData }));
  try {
    const numClasses = (model.outputs[0].shape.at(-1) as number | null) ?? 0;
    const out = new Float32Array(n * numClasses);
    const batch = Math.max(1, req.batchSize ?? 256);
    for (let start = 0; start < n; start += batch) {
      ctx?.signal.throwIfAborted();
      const rows = Math.min(batch, n - start);
      const y = tf.tidy(() => model.predict(tf.tensor(x.subarray(start * width, (start + rows) * width), [rows, ...inputShape])) as tf.Tensor);
      out.set(await y.data(), start * numClasses);
      y.dispose();
      ctx?.progress(start + rows, n, 'predicting the test split');
    }
    return { probabilities: out, numClasses };
  } finally {
    model.dispose();
  }
}

export const evaluateHandlers = {
  async evaluate(req: EvaluateRequest, ctx: CallContext): Promise<Transfer<EvaluateResult>> {
    await tf.setBackend('cpu');
    await tf.ready();
    const result = await predictProbabilities(req, ctx);
    return new Transfer(result, [result.probabilities.buffer as ArrayBuffer]);
  },
};

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) serveCalls(evaluateHandlers);
