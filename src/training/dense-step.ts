// The gradients of a training step of an MLP (Flatten, Dense layers with dropout or not, a softmax
// Dense output) on the wasm backend, computed outside tfjs's graph: tfjs runs about 90 kernels for
// such a step (a third of them copies it saves for the backward pass), and its products repack each
// weight on every step (XNNPACK keeps a weight's packed operator under its tensor id, and the
// optimizer gives every weight a new tensor each step). Here the step is the few products it is made
// of (matmul-module.ts), read from and written to the tensors' own memory (split over the cores
// where the memory is shared: matmul-pool.ts), and one pass for each element-wise part
// (dense-math.ts). The gradients come back as tensors for optimizer.applyGradients, so the
// optimizers, their state, checkpoints and resume stay tfjs's. Dropout draws its masks from the
// generator it is given (the trainer seeds one per epoch: unlike tfjs's, these masks are
// reproducible). Any other model, backend or layer trains through tfjs as before.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import {
  addBiasAndActivate,
  addWeightDecay,
  columnSums,
  crossEntropyAndGradient,
  dropout,
  dropoutGradient,
  multiplyByActivationGradient,
  softmaxRows,
  type BatchLoss,
  type DenseActivation,
} from './dense-math';
import type { UploadedPart } from './trainer-ops';
import type { TrainingStep } from './types';
import { matmulModule, matmulOn, type MatMulFunction } from './wasm-kernels/matmul-module';
import { MatMulPool } from './wasm-kernels/matmul-pool';
import { isShared } from './wasm-kernels/wasm-assembler';
import { float32Offset, heapOffset, wasmMemory, type WasmInternals } from './wasm-kernels/wasm-internals';
import { transpose2d } from './wasm-kernels/im2col';

const HIDDEN_ACTIVATIONS: readonly string[] = ['relu', 'tanh', 'sigmoid', 'elu', 'linear'];

interface DenseLayer {
  kernel: tf.Variable; // [inputs, units]
  bias: tf.Variable; // [units]
  inputs: number;
  units: number;
  activation: DenseActivation | 'softmax';
  dropout: number; // the rate of the Dropout layer after it; 0 without one
}

interface WasmBackend extends WasmInternals {
  disposeData(dataId: object): boolean;
}

interface LayerLike {
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  kernel?: { read(): tf.Variable };
  bias?: { read(): tf.Variable };
}

/**
 * The model's dense layers in order, or null unless it is Flatten? → (Dense, Dropout?)… →
 * Dense(softmax), every Dense with a bias and every Dropout plain (no noise shape, no seed).
 */
function denseLayers(model: tf.LayersModel): DenseLayer[] | null {
  const layers = model.layers as unknown as LayerLike[];
  const dense: DenseLayer[] = [];
  for (const [i, layer] of layers.entries()) {
    const kind = layer.getClassName();
    const config = layer.getConfig();
    if (kind === 'Flatten' && i === 0) continue;
    if (kind === 'Dropout') {
      const previous = dense.at(-1);
      const rate = Number(config.rate);
      if (!previous || previous.dropout > 0 || config.noiseShape != null || config.seed != null || !(rate > 0 && rate < 1)) return null;
      previous.dropout = rate;
      continue;
    }
    if (kind !== 'Dense' || !layer.kernel || !layer.bias) return null;
    const activation = String(config.activation);
    const last = i === layers.length - 1;
    if (config.useBias === false || (last ? activation !== 'softmax' : !HIDDEN_ACTIVATIONS.includes(activation))) return null;
    const kernel = layer.kernel.read();
    if (kernel.shape.length !== 2) return null;
    const [inputs, units] = kernel.shape;
    dense.push({ kernel, bias: layer.bias.read(), inputs, units, activation: activation as DenseActivation | 'softmax', dropout: 0 });
  }
  return dense.length > 0 ? dense : null;
}

export interface DenseStepResult {
  grads: tf.NamedTensorMap; // one per trainable weight, in the order they were given
  loss: BatchLoss;
  cost: number; // the batch's mean loss plus the L2 penalty: what optimizer.minimize would return
}

/** The step for one run: scratch memory for a batch of up to `batchSize` rows, kept until dispose. */
export class DenseStep {
  private readonly scratch: TensorInfo[] = [];
  private readonly outputs: number[] = []; // byte offsets: each layer's output, after its dropout (the last: probabilities)
  private readonly activations: number[] = []; // byte offsets: each layer's output before its dropout (= outputs without one)
  private readonly masks: (number | null)[] = []; // byte offsets: each layer's dropout mask (1 kept, 0 dropped)
  private readonly deltas: number[] = []; // byte offsets: the loss's gradient at each layer's pre-activation
  private readonly transposed: (number | null)[] = []; // byte offsets: each layer's kernelᵀ (not the first's)

  private constructor(
    private readonly backend: WasmBackend,
    private readonly memory: WebAssembly.Memory,
    private readonly matmul: MatMulFunction,
    private readonly pool: MatMulPool | null,
    private readonly layers: DenseLayer[],
    private readonly weights: tf.Variable[],
    private readonly weightDecay: number,
    private readonly batchSize: number,
  ) {
    const allocate = (size: number) => {
      const info = backend.makeOutput([size], 'float32');
      this.scratch.push(info);
      return heapOffset(backend, info);
    };
    layers.forEach((layer, l) => {
      this.outputs.push(allocate(batchSize * layer.units));
      this.activations.push(layer.dropout > 0 ? allocate(batchSize * layer.units) : this.outputs[l]);
      this.masks.push(layer.dropout > 0 ? allocate(batchSize * layer.units) : null);
      this.deltas.push(allocate(batchSize * layer.units));
      this.transposed.push(l === 0 ? null : allocate(layer.inputs * layer.units));
    });
  }

  /**
   * The step for `model` when it is a plain MLP on the wasm backend and `weights` are exactly its
   * kernels and biases; null otherwise (tfjs computes the gradients then).
   */
  static create(model: tf.LayersModel, weights: tf.Variable[], batchSize: number, weightDecay: number): DenseStep | null {
    if (tf.getBackend() !== 'wasm') return null;
    const layers = denseLayers(model);
    if (!layers) return null;
    const own = new Set(layers.flatMap((l) => [l.kernel, l.bias]));
    if (weights.length !== own.size || !weights.every((w) => own.has(w))) return null;
    const backend = tf.backend() as unknown as WasmBackend;
    const memory = wasmMemory(backend);
    const matmul = memory && matmulOn(memory);
    if (!memory || !matmul) return null;
    const pool = MatMulPool.shared(memory, matmul);
    return new DenseStep(backend, memory, pool?.run ?? matmul, pool, layers, weights, weightDecay, batchSize);
  }

  /** Whether the step can take this part's rows: float32 data on this backend, as many features as the first layer takes. */
  accepts(part: UploadedPart): boolean {
    const offset = (t: tf.Tensor | null) => (t === null ? 0 : float32Offset(this.backend, t));
    const classes = this.layers[this.layers.length - 1].units;
    return part.x.size / part.n === this.layers[0].inputs && part.y.shape[1] === classes && offset(part.x) !== null && offset(part.y) !== null && offset(part.w) !== null;
  }

  /**
   * The gradients and loss of rows [start, start + size) of `part` (size ≤ the batch size it was made
   * for); `random` (uniform in [0, 1)) draws the dropout masks.
   */
  gradients(part: UploadedPart, start: number, size: number, random: () => number = Math.random): DenseStepResult {
    const { backend } = this;
    if (!(size > 0 && size <= this.batchSize && start >= 0 && start + size <= part.n)) {
      throw new RangeError(`dense step: rows [${start}, ${start + size}) of ${part.n} in batches of at most ${this.batchSize}`);
    }
    const grads = new Map<tf.Variable, tf.Tensor>();
    for (const w of this.weights) grads.set(w, tf.engine().makeTensorFromTensorInfo(backend.makeOutput([...w.shape], 'float32')));
    try {
      const { loss, cost } = this.fill(grads, part, start, size, random);
      const named: tf.NamedTensorMap = {};
      for (const [variable, grad] of grads) named[variable.name] = grad;
      return { grads: named, loss, cost };
    } catch (e) {
      tf.dispose([...grads.values()]);
      throw e;
    }
  }

  /** gradients' work: the forward and backward passes into `grads`; the loss and the cost. */
  private fill(grads: Map<tf.Variable, tf.Tensor>, part: UploadedPart, start: number, size: number, random: () => number): Pick<DenseStepResult, 'loss' | 'cost'> {
    const { layers, matmul } = this;
    // Offsets and the view after the last allocation: growing the memory detaches older views.
    const at = (t: TensorInfo) => heapOffset(this.backend, t);
    const heap = new Float32Array(this.memory.buffer);
    const F = Float32Array.BYTES_PER_ELEMENT;
    const features = layers[0].inputs;
    const classes = layers[layers.length - 1].units;
    const x = at(part.x) + start * features * F;
    const input = (l: number) => (l === 0 ? x : this.outputs[l - 1]);

    layers.forEach((layer, l) => {
      const out = this.activations[l];
      this.forward(heap, layer, input(l), out, size);
      if (layer.dropout > 0) dropout(heap, out / F, this.outputs[l] / F, this.masks[l]! / F, size * layer.units, layer.dropout, random);
    });
    const last = layers.length - 1;
    const y = at(part.y) + start * classes * F;
    const w = part.w ? at(part.w) + start * F : null;
    const loss = crossEntropyAndGradient(heap, this.outputs[last] / F, y / F, w === null ? null : w / F, this.deltas[last] / F, size, classes);

    for (let l = last; l >= 0; l--) {
      const layer = layers[l];
      const [kernelGrad, biasGrad] = [at(grads.get(layer.kernel)!), at(grads.get(layer.bias)!)];
      const delta = this.deltas[l];
      // kernel′ = inputᵀ · delta; bias′ = Σ over rows of delta
      matmul(input(l), delta, kernelGrad, layer.inputs, size, layer.units, 1, layer.inputs, layer.units, layer.units, 0);
      columnSums(heap, delta / F, size, layer.units, biasGrad / F);
      if (l > 0) {
        // the previous layer's delta = (delta · kernelᵀ), through its dropout, ⊙ act′(its output)
        const kernelT = this.transposed[l]!;
        const [kernel, kernelLength] = [at(layer.kernel) / F, layer.inputs * layer.units];
        transpose2d(heap.subarray(kernel, kernel + kernelLength), layer.inputs, layer.units, heap.subarray(kernelT / F, kernelT / F + kernelLength));
        const below = layers[l - 1];
        const count = size * below.units;
        matmul(delta, kernelT, this.deltas[l - 1], size, layer.units, layer.inputs, layer.units, 1, layer.inputs, layer.inputs, 0);
        if (below.dropout > 0) dropoutGradient(heap, this.deltas[l - 1] / F, this.masks[l - 1]! / F, count, below.dropout);
        multiplyByActivationGradient(heap, this.deltas[l - 1] / F, this.activations[l - 1] / F, count, below.activation as DenseActivation);
      }
    }

    let cost = loss.lossSum / loss.weightSum;
    if (this.weightDecay > 0) {
      let squares = 0;
      for (const [variable, grad] of grads) squares += addWeightDecay(heap, at(grad) / F, at(variable) / F, variable.size, this.weightDecay);
      cost += 0.5 * this.weightDecay * squares;
    }
    return { loss, cost };
  }

  /** One layer on `rows` rows: out = act(input · kernel + bias), softmax for the output layer (byte offsets). */
  private forward(heap: Float32Array, layer: DenseLayer, input: number, out: number, rows: number): void {
    const F = Float32Array.BYTES_PER_ELEMENT;
    this.matmul(input, heapOffset(this.backend, layer.kernel), out, rows, layer.inputs, layer.units, layer.inputs, 1, layer.units, layer.units, 0);
    const act = layer.activation === 'softmax' ? 'linear' : layer.activation;
    addBiasAndActivate(heap, out / F, heapOffset(this.backend, layer.bias) / F, rows, layer.units, act);
    if (layer.activation === 'softmax') softmaxRows(heap, out / F, rows, layer.units);
  }

  /** What the run's record says of it: its products' threads (helpers included) and whether they fuse multiply-adds. */
  describe(): TrainingStep {
    return { path: 'dense', threads: 1 + (this.pool?.size ?? 0), fma: matmulModule(isShared(this.memory))?.fma ?? false };
  }

  /** How many threads compute its large products: 1 until the helpers are ready. */
  threads(): number {
    return 1 + (this.pool?.ready() ?? 0);
  }

  dispose(): void {
    for (const info of this.scratch.splice(0)) this.backend.disposeData(info.dataId);
  }
}
