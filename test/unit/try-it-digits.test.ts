import { expect } from '@esm-bundle/chai';
import { centreLikeMnist, digitFromRgba, EmptyDrawingError, inkBox, inkFromRgba, MNIST_SIDE } from '../../src/training/inference-digits';

/** A width × height ink image with the rectangle [x, x+w) × [y, y+h) full of ink. */
function rect(width: number, height: number, x: number, y: number, w: number, h: number): Float32Array {
  const ink = new Float32Array(width * height);
  for (let r = y; r < y + h; r++) ink.fill(1, r * width + x, r * width + x + w);
  return ink;
}

/** Centre of mass (pixel centres at i + 0.5) of a 28 × 28 sample. */
function centreOfMass(s: Float32Array): [number, number] {
  let [m, x, y] = [0, 0, 0];
  s.forEach((v, i) => {
    m += v;
    x += v * ((i % MNIST_SIDE) + 0.5);
    y += v * (Math.floor(i / MNIST_SIDE) + 0.5);
  });
  return [x / m, y / m];
}

const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);

describe('a drawing made like an MNIST sample', () => {
  it('a tall stroke: its box is scaled to 20 pixels high keeping the aspect, placed with its centre of mass at the centre', () => {
    const out = centreLikeMnist(rect(100, 100, 7, 30, 10, 40), 100, 100); // 10 × 40 → 5 × 20
    expect(out.length).to.equal(784);
    expect(inkBox(out, 28, 28)).to.deep.equal({ x: 12, y: 4, w: 5, h: 20 }); // 14 − 2.5 rounds to 12; 14 − 10 = 4
    expect(sum(out)).to.be.closeTo(100, 1e-3); // full ink stays full: 5 × 20 pixels of 1
    expect(Math.max(...out)).to.be.at.most(1);
  });

  it('a wide stroke: 20 pixels wide, and the wider side decides the scale', () => {
    const out = centreLikeMnist(rect(200, 120, 20, 50, 120, 30), 200, 120); // 120 × 30 → 20 × 5
    const box = inkBox(out, 28, 28)!;
    expect([box.w, box.h]).to.deep.equal([20, 5]);
  });

  it('an uneven shape (an L) is placed by its centre of mass, not its box', () => {
    const ink = rect(60, 60, 10, 10, 6, 40);
    ink.set(rect(60, 60, 10, 44, 30, 6).map((v, i) => Math.max(v, ink[i])));
    const out = centreLikeMnist(ink, 60, 60);
    const [cx, cy] = centreOfMass(out);
    expect(Math.abs(cx - 14)).to.be.at.most(0.5);
    expect(Math.abs(cy - 14)).to.be.at.most(0.5);
    const box = inkBox(out, 28, 28)!;
    expect(box.x + box.w / 2).to.not.be.closeTo(14, 0.6); // the box itself is off centre
  });

  it('nothing drawn: a readable EmptyDrawingError', () => {
    expect(() => centreLikeMnist(new Float32Array(50 * 50), 50, 50)).to.throw(EmptyDrawingError, /nothing drawn/);
  });

  it('dark ink on a light background is inverted; transparent pixels are background', () => {
    const rgba = new Uint8ClampedArray(10 * 10 * 4).fill(255);
    rgba.set([0, 0, 0, 255], (5 * 10 + 5) * 4);
    const ink = inkFromRgba(rgba, 10, 10);
    expect(ink[55]).to.equal(1);
    expect(ink[0]).to.equal(0);
    const clear = new Uint8ClampedArray(4 * 4); // all transparent black
    expect(Array.from(inkFromRgba(clear, 2, 2))).to.deep.equal([0, 0, 0, 0]);
  });

  it('a 28 × 28 image (an MNIST sample saved as PNG) gives back its own values', () => {
    const sample = new Float32Array(784);
    for (let i = 300; i < 480; i += 3) sample[i] = ((i * 37) % 256) / 255;
    const rgba = new Uint8ClampedArray(784 * 4);
    sample.forEach((v, i) => rgba.set([v * 255, v * 255, v * 255, 255], i * 4));
    const back = digitFromRgba(rgba, 28, 28);
    back.forEach((v, i) => expect(v).to.be.closeTo(sample[i], 1e-6));
  });

  it('a larger photo of a digit is centred and scaled', () => {
    const rgba = new Uint8ClampedArray(90 * 90 * 4);
    rect(90, 90, 60, 5, 8, 30).forEach((v, i) => rgba.set([v * 255, v * 255, v * 255, 255], i * 4));
    const out = digitFromRgba(rgba, 90, 90);
    expect(inkBox(out, 28, 28)!.h).to.equal(20);
  });
});
