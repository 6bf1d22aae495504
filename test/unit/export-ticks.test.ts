import { expect } from '@esm-bundle/chai';
import { epochTicks, niceStep, niceTicks } from '../../src/export/figures/ticks';
import { heatColor, textColorOn } from '../../src/export/figures/confusion';

describe('figure ticks', () => {
  it('epoch ticks are whole epochs with nice steps, 1 labelled when there is room', () => {
    expect(epochTicks(1).values).to.deep.equal([1]);
    expect(epochTicks(5).values).to.deep.equal([1, 2, 3, 4, 5]);
    expect(epochTicks(12).values).to.deep.equal([2, 4, 6, 8, 10, 12]);
    expect(epochTicks(20).values).to.deep.equal([1, 5, 10, 15, 20]);
    expect(epochTicks(20, 12).values).to.deep.equal([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);

    expect(epochTicks(60).values).to.deep.equal([1, 10, 20, 30, 40, 50, 60]);
    expect(epochTicks(1000).values).to.deep.equal([1, 200, 400, 600, 800, 1000]);
    for (let n = 1; n <= 500; n++) {
      const t = epochTicks(n);
      expect(t.values.every(Number.isInteger), `n=${n}`).to.equal(true);
      expect(t.values.length, `n=${n}`).to.be.within(1, 10);
      expect(t.values[t.values.length - 1]).to.be.at.most(n);
      expect(t.min).to.equal(0.5);
      expect(t.max).to.equal(n + 0.5);
    }
  });

  it('value ticks use 1, 2, 2.5, 5 × 10^k and cover the range', () => {
    expect(niceStep(1.47, 6)).to.equal(0.25);
    expect(niceStep(40, 6)).to.equal(10);
    const t = niceTicks(0.041, 1.5, 6);
    expect(t.values[0]).to.be.at.most(0.041);
    expect(t.values[t.values.length - 1]).to.be.at.least(1.5);
    expect(t.decimals).to.equal(2);
    expect(niceTicks(5, 5).values.length).to.be.greaterThan(1); // a flat range still gets an axis
    expect(niceTicks(NaN, Infinity).values).to.deep.equal([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});

describe('confusion-matrix colours', () => {
  it('runs from near-white to dark blue; text colour follows contrast', () => {
    expect(heatColor(0)).to.equal('#f7fbff');
    expect(heatColor(1)).to.equal('#08306b');
    expect(textColorOn(heatColor(0))).to.equal('#222222');
    expect(textColorOn(heatColor(1))).to.equal('#ffffff');
    expect(textColorOn(heatColor(0.3))).to.equal('#222222');
    expect(textColorOn(heatColor(0.8))).to.equal('#ffffff');
  });
});
