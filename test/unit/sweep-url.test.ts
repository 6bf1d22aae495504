import { expect } from '@esm-bundle/chai';
import { defaultSweepForm } from '../../src/app/sweep-form';
import { defaultLabState, parseLabState, runQueryOf, serializeLabState } from '../../src/url-state';

describe('sweep: its address form', () => {
  it('is written readably: `|` between values (a value may hold commas), `;` between keys', () => {
    const s = defaultLabState();
    s.sweep = { ...defaultSweepForm(), params: [{ key: 'lr', text: '0.001|0.01' }, { key: 'hidden', text: '16,16|32,32' }], repeats: 3 };
    const q = serializeLabState(s);
    expect(q).to.match(/&sweep=lr:0\.001\|0\.01;hidden:16,16\|32,32&repeats=3$/);
    const back = parseLabState(q);
    expect(back.errors).to.deep.equal([]);
    expect(back.state).to.deep.equal(s);
  });

  it('reads the example of the issue, and random mode with its draws and their seed', () => {
    const { state, errors } = parseLabState('?sweep=lr:0.001|0.01;hidden:16,16|32,32&repeats=3');
    expect(errors).to.deep.equal([]);
    expect(state.sweep).to.deep.equal({ ...defaultSweepForm(), params: [{ key: 'lr', text: '0.001|0.01' }, { key: 'hidden', text: '16,16|32,32' }], repeats: 3 });
    const r = parseLabState('?sweep=lr:1e-4..1e-1:log&sweepmode=random&draws=20&drawseed=7');
    expect(r.errors).to.deep.equal([]);
    expect(r.state.sweep).to.deep.equal({ params: [{ key: 'lr', text: '1e-4..1e-1:log' }], mode: 'random', repeats: 1, draws: 20, drawSeed: 7 });
    expect(serializeLabState(r.state)).to.match(/&sweep=lr:1e-4\.\.1e-1:log&sweepmode=random&draws=20&drawseed=7$/);
    // Percent-encoded by another tool: the same sweep.
    expect(parseLabState('?sweep=lr%3A0.001%7C0.01%3Bbatch%3A16%7C32').state.sweep?.params).to.deep.equal([{ key: 'lr', text: '0.001|0.01' }, { key: 'batch', text: '16|32' }]);
  });

  it('writes nothing of a sweep that is not set up, and never into a run address', () => {
    expect(serializeLabState(defaultLabState())).to.not.match(/sweep|repeats|draws/);
    const s = { ...defaultLabState(), sweep: defaultSweepForm() };
    expect(serializeLabState(s)).to.equal(serializeLabState(defaultLabState()));
    const swept = { ...defaultLabState(), autostart: true, sweep: { ...defaultSweepForm(), params: [{ key: 'lr', text: '0.1|0.2' }], repeats: 2 } };
    expect(runQueryOf(swept)).to.equal(serializeLabState(defaultLabState()));
    expect(parseLabState(runQueryOf(swept)).state).to.deep.equal(defaultLabState());
  });

  it('an address it cannot read keeps the default and says why (parsing never throws)', () => {
    const bad = parseLabState('?sweep=lr0.1|0.2&repeats=0&sweepmode=bayes&draws=x');
    expect(bad.state.sweep).to.equal(undefined);
    expect(bad.errors).to.have.length(4);
    expect(bad.errors[0]).to.match(/^ignored sweep=lr0\.1\|0\.2: expected key:values separated by ";"/);
    expect(bad.errors[1]).to.match(/^ignored repeats=0: expected a whole number/);
    expect(bad.errors[2]).to.match(/^ignored sweepmode=bayes: unknown sweep mode \(expected one of grid, random\)/);
    expect(bad.errors[3]).to.match(/^ignored draws=x: /);
    // What the Lab does not know is kept as typed: the sweep panel names the problem beside the field.
    expect(parseLabState('?sweep=learning:0.1|x;;').state.sweep?.params).to.deep.equal([{ key: 'learning', text: '0.1|x' }]);
  });
});
