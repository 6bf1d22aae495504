import { expect } from '@esm-bundle/chai';
import { isoWithOffset } from '../../src/training/time';

describe('isoWithOffset', () => {
  it('writes local time with milliseconds and a ±HH:MM offset (never Z)', () => {
    const s = isoWithOffset(new Date(2026, 10, 26, 19, 20, 0, 123));
    expect(s).to.match(/^2026-11-26T19:20:00\.123[+-]\d\d:\d\d$/);
  });

  it('denotes the same instant as the date it was given', () => {
    for (const ms of [0, 1_700_000_000_000, Date.UTC(2026, 2, 29, 1, 30), Date.UTC(2026, 9, 25, 0, 59, 59, 999)]) {
      const d = new Date(ms);
      expect(new Date(isoWithOffset(d)).getTime()).to.equal(ms);
    }
  });

  it('rejects an invalid date', () => {
    expect(() => isoWithOffset(new Date(NaN))).to.throw(RangeError);
  });
});
