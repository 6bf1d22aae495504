import { expect } from '@esm-bundle/chai';
import { createRng } from '../../src/training/rng';

const take = (seed: number, n: number): number[] => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.next());
};

describe('createRng', () => {
  it('gives the same sequence for the same seed', () => {
    expect(take(42, 100)).to.deep.equal(take(42, 100));
  });

  it('gives different sequences for different (even adjacent) seeds', () => {
    expect(take(1, 20)).to.not.deep.equal(take(2, 20));
    expect(take(0, 20)).to.not.deep.equal(take(1, 20));
  });

  it('next() is uniform in [0, 1)', () => {
    const xs = take(7, 20000);
    expect(xs.every((x) => x >= 0 && x < 1)).to.equal(true);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).to.be.closeTo(0.5, 0.01);
    const lowDecile = xs.filter((x) => x < 0.1).length / xs.length;
    expect(lowDecile).to.be.closeTo(0.1, 0.01);
  });

  it('normal() has mean 0 and std 1', () => {
    const rng = createRng(3);
    const xs = Array.from({ length: 20000 }, () => rng.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(mean).to.be.closeTo(0, 0.03);
    expect(std).to.be.closeTo(1, 0.03);
    expect(xs.every(Number.isFinite)).to.equal(true);
  });

  it('int(n) covers 0..n-1 and nothing else', () => {
    const rng = createRng(5);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(rng.int(6));
    expect([...seen].sort()).to.deep.equal([0, 1, 2, 3, 4, 5]);
  });

  it('shuffle() permutes in place, deterministically, arrays and typed arrays', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    const same = createRng(9).shuffle(a);
    expect(same).to.equal(a);
    expect([...a].sort((x, y) => x - y)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i));
    expect(a).to.not.deep.equal(Array.from({ length: 50 }, (_, i) => i));
    const b = createRng(9).shuffle(Int32Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(b)).to.deep.equal(a);
    const c = createRng(10).shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect(c).to.not.deep.equal(a);
  });
});
