// The element-wise parts of the dense step (dense-math.ts) on hand-made values: the edges the
// comparison with tfjs's gradients (test/browser/dense-step.test.ts) is unlikely to reach.
import { expect } from '@esm-bundle/chai';
import {
  addBiasAndActivate,
  columnSums,
  crossEntropyAndGradient,
  dropout,
  dropoutGradient,
  multiplyByActivationGradient,
  softmaxRows,
} from '../../src/training/dense-math';
import { transpose2d } from '../../src/training/wasm-kernels/im2col';

const heapOf = (...values: number[]) => Float32Array.from(values);

describe('dense-math', () => {
  it('bias and activation: relu, tanh, sigmoid, elu and linear at −1, 0 and 2', () => {
    const expected: Record<string, number[]> = {
      relu: [0, 0, 2],
      tanh: [Math.tanh(-1), 0, Math.tanh(2)],
      sigmoid: [1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-2))],
      elu: [Math.expm1(-1), 0, 2],
      linear: [-1, 0, 2],
    };
    for (const [act, want] of Object.entries(expected)) {
      const heap = heapOf(-2, -1, 1, /* bias */ 1, 1, 1);
      addBiasAndActivate(heap, 0, 3, 1, 3, act as 'relu');
      want.forEach((w, i) => expect(heap[i], `${act}(${[-1, 0, 2][i]})`).to.be.closeTo(w, 1e-6));
    }
  });

  it('activation gradients from the output: relu passes nothing at 0, elu everything at 0', () => {
    const at = (act: 'relu' | 'elu' | 'tanh' | 'sigmoid', y: number) => {
      const heap = heapOf(3, y);
      multiplyByActivationGradient(heap, 0, 1, 1, act);
      return heap[0];
    };
    expect([at('relu', 0), at('relu', 0.5), at('elu', 0), at('elu', -0.5)]).to.deep.equal([0, 3, 3, 1.5]);
    expect(at('tanh', 0.5)).to.be.closeTo(3 * 0.75, 1e-6);
    expect(at('sigmoid', 0.5)).to.be.closeTo(3 * 0.25, 1e-6);
  });

  it('softmax rows sum to 1 and survive large logits', () => {
    const heap = heapOf(1000, 1001, 1002, 0, 0, 0);
    softmaxRows(heap, 0, 2, 3);
    expect(heap[0] + heap[1] + heap[2]).to.be.closeTo(1, 1e-6);
    expect(Array.from(heap.subarray(3))).to.deep.equal([1 / 3, 1 / 3, 1 / 3].map(Math.fround));
  });

  it('cross-entropy: a zero probability on the true class costs −log(1e-7) and, clipped, passes no gradient to it', () => {
    // p = [0, 1], y = [1, 0]: clipped to 1e-7 and 1 − 1e-7.
    const heap = heapOf(0, 1, /* y */ 1, 0, /* d */ 0, 0);
    const loss = crossEntropyAndGradient(heap, 0, 2, null, 4, 1, 2);
    expect(loss.lossSum).to.be.closeTo(-Math.log(1e-7), 1e-6);
    expect(loss.correct).to.equal(0);
    // dP is zero where clipped, so the gradient through the softmax is zero too.
    expect(Array.from(heap.subarray(4))).to.deep.equal([0, 0]);
  });

  it('cross-entropy: the gradient of the weighted mean is (p − y)·wᵢ / Σw, and ties count the first class', () => {
    const heap = heapOf(0.5, 0.5, 0.25, 0.75, /* y */ 1, 0, 0, 1, /* w */ 3, 1, /* d */ 0, 0, 0, 0);
    const loss = crossEntropyAndGradient(heap, 0, 4, 8, 10, 2, 2);
    expect(loss.weightSum).to.equal(4);
    expect(loss.correct).to.equal(2); // row 0's tie goes to class 0, its truth
    expect(loss.lossSum).to.be.closeTo(-3 * Math.log(0.5) - Math.log(0.75), 1e-6);
    const want = [(0.5 - 1) * 0.75, 0.5 * 0.75, 0.25 * 0.25, (0.75 - 1) * 0.25];
    want.forEach((w, i) => expect(heap[10 + i]).to.be.closeTo(w, 1e-6));
  });

  it('column sums and transpose', () => {
    const heap = heapOf(1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0);
    columnSums(heap, 0, 2, 3, 6);
    expect(Array.from(heap.subarray(6, 9))).to.deep.equal([5, 7, 9]);
    transpose2d(heap.subarray(0, 6), 2, 3, heap.subarray(6));
    expect(Array.from(heap.subarray(6))).to.deep.equal([1, 4, 2, 5, 3, 6]);
  });

  it('dropout keeps where the draw is ≥ rate, scales by 1 / (1 − rate), and its gradient follows the mask', () => {
    const draws = [0.1, 0.5, 0.25, 0.9];
    const heap = heapOf(1, 2, 3, 4, /* out */ 0, 0, 0, 0, /* mask */ 9, 9, 9, 9, /* d */ 1, 1, 1, 1);
    dropout(heap, 0, 4, 8, 4, 0.25, () => draws.shift()!);
    expect(Array.from(heap.subarray(8, 12))).to.deep.equal([0, 1, 1, 1]);
    expect(Array.from(heap.subarray(4, 8))).to.deep.equal([0, 2 / 0.75, 3 / 0.75, 4 / 0.75].map(Math.fround));
    dropoutGradient(heap, 12, 8, 4, 0.25);
    expect(Array.from(heap.subarray(12))).to.deep.equal([0, 1 / 0.75, 1 / 0.75, 1 / 0.75].map(Math.fround));
  });
});
