import { expect } from '@esm-bundle/chai';
import { createLrScheduler, validateSchedule, validateScheduleFields, type LrScheduler } from '../../src/training/schedules';
import type { LrSchedule, Monitor } from '../../src/training/types';

const EPS = 1e-15;

/** Runs epochs 1..n: the rate used in each epoch, observing values[e-1] after it. */
function run(s: LrScheduler, values: number[], monitor: Monitor, from = 1): number[] {
  const used: number[] = [];
  values.forEach((v, i) => {
    const epoch = from + i;
    used.push(s.lrForEpoch(epoch));
    s.observe(epoch, v, monitor);
  });
  return used;
}

describe('learning-rate schedules', () => {
  it('constant keeps the base rate', () => {
    const s = createLrScheduler(0.01, { kind: 'constant' }, 10);
    expect([1, 5, 10].map((e) => s.lrForEpoch(e))).to.deep.equal([0.01, 0.01, 0.01]);
  });

  it('step multiplies by gamma every stepSize epochs', () => {
    // 0.1 · 0.5^floor((e-1)/3): epochs 1-3 → 0.1, 4-6 → 0.05, 7-9 → 0.025, 10 → 0.0125
    const s = createLrScheduler(0.1, { kind: 'step', stepSize: 3, gamma: 0.5 }, 10);
    const lrs = [1, 2, 3, 4, 5, 6, 7, 9, 10].map((e) => s.lrForEpoch(e));
    expect(lrs).to.deep.equal([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.0125]);
  });

  it('cosine goes from base at epoch 1 to minLr at the last epoch', () => {
    // min + (base - min)(1 + cos(π (e-1)/(T-1)))/2 with base 0.1, min 0.001, T 5
    // e1: 0.1; e2: 0.001 + 0.099·(1+√2/2)/2 = 0.0855017819…; e3: 0.001 + 0.099/2 = 0.0505; e5: 0.001
    const s = createLrScheduler(0.1, { kind: 'cosine', minLr: 0.001 }, 5);
    expect(s.lrForEpoch(1)).to.equal(0.1);
    expect(s.lrForEpoch(2)).to.be.closeTo(0.001 + (0.099 * (1 + Math.SQRT1_2)) / 2, EPS);
    expect(s.lrForEpoch(3)).to.be.closeTo(0.0505, EPS);
    expect(s.lrForEpoch(4)).to.be.closeTo(0.001 + (0.099 * (1 - Math.SQRT1_2)) / 2, EPS);
    expect(s.lrForEpoch(5)).to.be.closeTo(0.001, EPS);
    expect(s.lrForEpoch(9)).to.be.closeTo(0.001, EPS); // past the end: stays at minLr
    expect(createLrScheduler(0.1, { kind: 'cosine', minLr: 0 }, 1).lrForEpoch(1)).to.equal(0.1);
  });

  it('plateau on val_loss reduces after patience bad epochs, not below minLr', () => {
    const s = createLrScheduler(0.1, { kind: 'plateau', factor: 0.5, patience: 2, minLr: 0.02 }, 20);
    //              e1   e2   e3    e4    e5    e6    e7   e8    e9    e10   e11
    const losses = [1.0, 0.9, 0.95, 0.92, 0.91, 0.91, 0.8, 0.85, 0.85, 0.85, 0.85];
    // e3, e4 bad → 0.05 from e5; e5, e6 bad (best still 0.9) → 0.025 from e7; e7 improves;
    // e8, e9 bad → max(0.0125, 0.02) = 0.02 from e10; e10, e11 bad → stays 0.02
    expect(run(s, losses, 'val_loss')).to.deep.equal([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.025, 0.02, 0.02]);
    expect(s.lrForEpoch(12)).to.equal(0.02);
    expect(s.state()).to.deep.equal({ kind: 'plateau', lr: 0.02, best: 0.8, badEpochs: 0, reductions: 3, lastEpoch: 11 });
  });

  it('plateau on val_acc treats higher as better and equal as no improvement', () => {
    const s = createLrScheduler(0.01, { kind: 'plateau', factor: 0.1, patience: 2, minLr: 0 }, 20);
    // 50 best, 60 best, 60 equal (bad 1), 59 (bad 2 → 0.001 from e5), 61 best, 62 best
    const used = run(s, [50, 60, 60, 59, 61, 62], 'val_acc');
    expect(used.slice(0, 4)).to.deep.equal([0.01, 0.01, 0.01, 0.01]);
    expect(used[4]).to.be.closeTo(0.001, EPS);
    expect(used[5]).to.be.closeTo(0.001, EPS);
    expect(s.state()).to.include({ best: 62, badEpochs: 0, reductions: 1 });
  });

  it('plateau counts NaN as no improvement', () => {
    const s = createLrScheduler(0.1, { kind: 'plateau', factor: 0.5, patience: 1, minLr: 0 }, 5);
    s.observe(1, NaN, 'val_loss');
    expect(s.lrForEpoch(2)).to.equal(0.05);
    expect(s.state().best).to.equal(null);
  });

  it('restored state continues identically (through JSON)', () => {
    const schedules: LrSchedule[] = [
      { kind: 'constant' },
      { kind: 'step', stepSize: 2, gamma: 0.7 },
      { kind: 'cosine', minLr: 0.0001 },
      { kind: 'plateau', factor: 0.5, patience: 2, minLr: 0.001 },
    ];
    const losses = [1, 0.8, 0.85, 0.9, 0.7, 0.75, 0.76, 0.77, 0.6, 0.65, 0.66, 0.7];
    for (const sched of schedules) {
      const whole = run(createLrScheduler(0.05, sched, 12), losses, 'val_loss');
      const first = createLrScheduler(0.05, sched, 12);
      const head = run(first, losses.slice(0, 5), 'val_loss');
      const saved = JSON.parse(JSON.stringify(first.state()));
      expect(saved.lr, sched.kind).to.equal(first.lrForEpoch(6));
      const resumed = createLrScheduler(0.05, sched, 12, saved);
      const tail = run(resumed, losses.slice(5), 'val_loss', 6);
      expect([...head, ...tail], sched.kind).to.deep.equal(whole);
      expect(resumed.state(), sched.kind).to.deep.equal(createStateAfter(sched, losses));
    }
  });

  it('refuses a state from another kind and invalid arguments', () => {
    const state = createLrScheduler(0.1, { kind: 'constant' }, 3).state();
    expect(() => createLrScheduler(0.1, { kind: 'cosine', minLr: 0 }, 3, state)).to.throw(/invalid learning-rate scheduler state/);
    expect(() => createLrScheduler(-1, { kind: 'constant' }, 3)).to.throw('invalid learning rate: -1');
    expect(() => createLrScheduler(0.1, { kind: 'constant' }, 0)).to.throw('invalid number of epochs: 0');
    expect(() => createLrScheduler(0.1, { kind: 'step', stepSize: 0, gamma: 0.5 }, 3)).to.throw(/step size/);
  });
});

function createStateAfter(sched: LrSchedule, values: number[]) {
  const s = createLrScheduler(0.05, sched, 12);
  run(s, values, 'val_loss');
  return s.state();
}

describe('validateSchedule', () => {
  it('accepts valid schedules', () => {
    expect(validateSchedule({ kind: 'constant' })).to.equal(null);
    expect(validateSchedule({ kind: 'step', stepSize: 5, gamma: 1 })).to.equal(null);
    expect(validateSchedule({ kind: 'cosine', minLr: 0 })).to.equal(null);
    expect(validateSchedule({ kind: 'plateau', factor: 0.1, patience: 1, minLr: 1e-6 })).to.equal(null);
  });

  it('names each bad field with the value it got', () => {
    expect(validateSchedule({ kind: 'step', stepSize: 0, gamma: 0.5 })).to.equal('step size must be an integer in 1..1000 epochs (got 0)');
    expect(validateSchedule({ kind: 'step', stepSize: 2, gamma: 1.5 })).to.equal('gamma must be in (0, 1] (got 1.5)');
    expect(validateSchedule({ kind: 'cosine', minLr: -1 })).to.equal('minimum learning rate must be ≥ 0 (got -1)');
    expect(validateScheduleFields({ kind: 'plateau', factor: 1, patience: 0.5, minLr: NaN })).to.deep.equal({
      factor: 'factor must be in (0, 1) (got 1)',
      patience: 'plateau patience must be an integer in 1..1000 epochs (got 0.5)',
      minLr: 'minimum learning rate must be ≥ 0 (got NaN)',
    });
    expect(validateSchedule({ kind: 'warmup' } as unknown as LrSchedule)).to.equal(
      'schedule must be one of constant, step, cosine, plateau (got warmup)',
    );
  });
});
