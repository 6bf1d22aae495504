// The element-wise parts of a dense network's training step (dense-step.ts), on float32 arrays laid
// out row-major [rows, width] at an element offset: bias and activation, their gradients, softmax
// with categorical cross-entropy, column sums and a transpose. Each follows the tfjs kernel it
// stands in for, so that the step computes what model.apply and its gradients compute.
import type { Activation } from './types';

export type DenseActivation = Activation | 'linear';

/** Probabilities are clipped to [EPS, 1 − EPS] before the log, as trainer-ops's loss does. */
const EPS = 1e-7;
const f = Math.fround;

/** h[i, j] = act(h[i, j] + bias[j]) in place. */
export function addBiasAndActivate(heap: Float32Array, h: number, bias: number, rows: number, width: number, act: DenseActivation): void {
  for (let i = 0; i < rows; i++) {
    const row = h + i * width;
    for (let j = 0; j < width; j++) {
      const z = f(heap[row + j] + heap[bias + j]);
      let y: number;
      switch (act) {
        case 'relu':
          y = z > 0 ? z : 0;
          break;
        case 'tanh':
          y = Math.tanh(z);
          break;
        case 'sigmoid':
          y = 1 / (1 + Math.exp(-z));
          break;
        case 'elu':
          y = z > 0 ? z : Math.expm1(z);
          break;
        default:
          y = z;
      }
      heap[row + j] = y;
    }
  }
}

/** d[k] *= act′ at the layer's output h[k] (the gradient from the output, as tfjs's fused kernels take it). */
export function multiplyByActivationGradient(heap: Float32Array, d: number, h: number, count: number, act: DenseActivation): void {
  for (let k = 0; k < count; k++) {
    const y = heap[h + k];
    let slope: number;
    switch (act) {
      case 'relu':
        slope = y > 0 ? 1 : 0;
        break;
      case 'tanh':
        slope = f(1 - f(y * y));
        break;
      case 'sigmoid':
        slope = f(y * f(1 - y));
        break;
      case 'elu':
        slope = y >= 0 ? 1 : f(y + 1);
        break;
      default:
        slope = 1;
    }
    heap[d + k] = f(heap[d + k] * slope);
  }
}

/**
 * Inverted dropout of count values of h into out: each kept (a uniform draw ≥ rate, as tfjs's
 * floor(u + keepProb)) and divided by keepProb = 1 − rate, else 0; mask[k] is 1 where kept, else 0.
 * Draws one number per value, in order.
 */
export function dropout(heap: Float32Array, h: number, out: number, mask: number, count: number, rate: number, random: () => number): void {
  const keep = f(1 - rate);
  for (let k = 0; k < count; k++) {
    const kept = random() >= rate;
    heap[mask + k] = kept ? 1 : 0;
    heap[out + k] = kept ? f(heap[h + k] / keep) : 0;
  }
}

/** The gradient through dropout in place: d[k] / keepProb where kept, else 0. */
export function dropoutGradient(heap: Float32Array, d: number, mask: number, count: number, rate: number): void {
  const keep = f(1 - rate);
  for (let k = 0; k < count; k++) heap[d + k] = heap[mask + k] ? f(heap[d + k] / keep) : 0;
}

/** Softmax of each row in place (max subtracted first, as tfjs's kernel does). */
export function softmaxRows(heap: Float32Array, h: number, rows: number, width: number): void {
  for (let i = 0; i < rows; i++) {
    const row = h + i * width;
    let max = -Infinity;
    for (let j = 0; j < width; j++) max = Math.max(max, heap[row + j]);
    let sum = 0;
    for (let j = 0; j < width; j++) {
      const e = f(Math.exp(heap[row + j] - max));
      heap[row + j] = e;
      sum += e;
    }
    const total = f(sum);
    for (let j = 0; j < width; j++) heap[row + j] = f(heap[row + j] / total);
  }
}

export interface BatchLoss {
  lossSum: number; // Σ wᵢ·lᵢ
  weightSum: number; // Σ wᵢ
  correct: number; // rows whose arg-max is the true class
}

/**
 * Cross-entropy of the softmax outputs `p` against one-hot `y`, each row weighted by `w` (null: 1),
 * and its gradient with respect to the logits into `d`, for the loss Σ wᵢ·lᵢ / Σ wᵢ: the gradient
 * through the clip (zero where clipped) and then through the softmax, as tfjs's gradients compose.
 */
export function crossEntropyAndGradient(heap: Float32Array, p: number, y: number, w: number | null, d: number, rows: number, width: number): BatchLoss {
  let weightSum = 0;
  for (let i = 0; i < rows; i++) weightSum += w === null ? 1 : heap[w + i];
  const scale = f(weightSum);
  let lossSum = 0;
  let correct = 0;
  for (let i = 0; i < rows; i++) {
    const [pr, yr, dr] = [p + i * width, y + i * width, d + i * width];
    const wi = w === null ? 1 : heap[w + i];
    let best = 0;
    let truth = 0;
    let dot = 0;
    for (let j = 0; j < width; j++) {
      const pj = heap[pr + j];
      const yj = heap[yr + j];
      if (pj > heap[pr + best]) best = j;
      if (yj > heap[yr + truth]) truth = j;
      const clipped = Math.min(Math.max(pj, EPS), 1 - EPS);
      if (yj !== 0) lossSum -= wi * yj * Math.log(clipped);
      const inside = pj >= EPS && pj <= f(1 - EPS);
      const dp = inside ? f(-f(f(yj * wi) / scale) / f(clipped)) : 0;
      heap[dr + j] = dp;
      dot += dp * pj;
    }
    if (best === truth) correct++;
    for (let j = 0; j < width; j++) heap[dr + j] = f(heap[pr + j] * f(heap[dr + j] - dot));
  }
  return { lossSum, weightSum, correct };
}

/** out[j] = Σ_i heap[m + i·width + j]. */
export function columnSums(heap: Float32Array, m: number, rows: number, width: number, out: number): void {
  for (let j = 0; j < width; j++) heap[out + j] = 0;
  for (let i = 0; i < rows; i++) {
    const row = m + i * width;
    for (let j = 0; j < width; j++) heap[out + j] += heap[row + j];
  }
}

/**
 * g[k] += wd·w[k], the gradient of the L2 penalty 0.5·wd·Σ w², in the same pass as Σ w² (returned,
 * for the penalty itself).
 */
export function addWeightDecay(heap: Float32Array, g: number, w: number, count: number, wd: number): number {
  let squares = 0;
  for (let k = 0; k < count; k++) {
    const wk = heap[w + k];
    squares += wk * wk;
    heap[g + k] = f(heap[g + k] + f(wd * wk));
  }
  return squares;
}
