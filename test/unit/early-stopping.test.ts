import { expect } from '@esm-bundle/chai';
import { createEarlyStopper } from '../../src/training/early-stopping';

const loss = (valLoss: number) => ({ valLoss, valAcc: 0 });
const acc = (valAcc: number) => ({ valLoss: 0, valAcc });

describe('early stopping', () => {
  it('on val_loss stops after patience epochs without a lower loss', () => {
    const es = createEarlyStopper({ enabled: true, patience: 2, monitor: 'val_loss' });
    expect(es.observe(1, loss(1.0))).to.deep.equal({ improved: true, stop: false, bestEpoch: 1, bestValue: 1.0 });
    expect(es.observe(2, loss(0.8))).to.deep.equal({ improved: true, stop: false, bestEpoch: 2, bestValue: 0.8 });
    expect(es.observe(3, loss(0.8))).to.deep.equal({ improved: false, stop: false, bestEpoch: 2, bestValue: 0.8 });
    expect(es.observe(4, loss(0.9))).to.deep.equal({ improved: false, stop: true, bestEpoch: 2, bestValue: 0.8 });
  });

  it('on val_acc treats higher as better', () => {
    const es = createEarlyStopper({ enabled: true, patience: 2, monitor: 'val_acc' });
    expect(es.observe(1, acc(50)).improved).to.equal(true);
    expect(es.observe(2, acc(70)).improved).to.equal(true);
    expect(es.observe(3, acc(65))).to.deep.equal({ improved: false, stop: false, bestEpoch: 2, bestValue: 70 });
    expect(es.observe(4, acc(71))).to.deep.equal({ improved: true, stop: false, bestEpoch: 4, bestValue: 71 });
    expect(es.observe(5, acc(71)).stop).to.equal(false);
    expect(es.observe(6, acc(60))).to.deep.equal({ improved: false, stop: true, bestEpoch: 4, bestValue: 71 });
  });

  it('reads only the monitored metric', () => {
    const es = createEarlyStopper({ enabled: true, patience: 1, monitor: 'val_loss' });
    es.observe(1, { valLoss: 0.5, valAcc: 10 });
    expect(es.observe(2, { valLoss: 0.6, valAcc: 99 })).to.deep.equal({ improved: false, stop: true, bestEpoch: 1, bestValue: 0.5 });
  });

  it('when disabled tracks the best epoch but never stops', () => {
    const es = createEarlyStopper({ enabled: false, patience: 1, monitor: 'val_loss' });
    const decisions = [1, 0.5, 0.7, 0.8, 0.9, 1.0].map((v, i) => es.observe(i + 1, loss(v)));
    expect(decisions.some((d) => d.stop)).to.equal(false);
    expect(decisions[5]).to.deep.equal({ improved: false, stop: false, bestEpoch: 2, bestValue: 0.5 });
  });

  it('counts NaN as no improvement', () => {
    const es = createEarlyStopper({ enabled: true, patience: 2, monitor: 'val_loss' });
    const first = es.observe(1, loss(NaN));
    expect(first.improved).to.equal(false);
    expect(first.bestEpoch).to.equal(0);
    expect(first.bestValue).to.be.NaN;
    expect(es.observe(2, loss(0.3))).to.deep.equal({ improved: true, stop: false, bestEpoch: 2, bestValue: 0.3 });
  });

  it('restored state (through JSON) continues identically', () => {
    const values = [0.9, 0.7, 0.75, 0.6, 0.65, 0.66, 0.67];
    const cfg = { enabled: true, patience: 3, monitor: 'val_loss' } as const;
    const whole = createEarlyStopper(cfg);
    const expected = values.map((v, i) => whole.observe(i + 1, loss(v)));
    const first = createEarlyStopper(cfg);
    const head = values.slice(0, 3).map((v, i) => first.observe(i + 1, loss(v)));
    const saved = JSON.parse(JSON.stringify(first.state()));
    expect(saved).to.deep.equal({ monitor: 'val_loss', bestEpoch: 2, bestValue: 0.7, wait: 1, stopped: false });
    const resumed = createEarlyStopper(cfg, saved);
    const tail = values.slice(3).map((v, i) => resumed.observe(i + 4, loss(v)));
    expect([...head, ...tail]).to.deep.equal(expected);
    expect(expected[6].stop).to.equal(true);
  });

  it('rejects bad patience and a state for another monitor', () => {
    expect(() => createEarlyStopper({ enabled: true, patience: 0, monitor: 'val_loss' })).to.throw('invalid early-stopping patience: 0');
    const state = createEarlyStopper({ enabled: true, patience: 2, monitor: 'val_acc' }).state();
    expect(() => createEarlyStopper({ enabled: true, patience: 2, monitor: 'val_loss' }, state)).to.throw(/invalid early-stopping state/);
  });
});
