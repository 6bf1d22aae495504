import { expect } from '@esm-bundle/chai';
import { defaultLabState, parseLabState, serializeLabState } from '../../src/url-state';

describe('url state: class weights (cw)', () => {
  it('is left out at its default, none', () => {
    expect(serializeLabState(defaultLabState())).to.not.match(/[?&]cw=/);
    const { state, errors } = parseLabState('?cw=none');
    expect(errors).to.deep.equal([]);
    expect(state.config.classWeights).to.equal('none');
    expect(serializeLabState(state)).to.equal(serializeLabState(defaultLabState()));
  });

  it('round-trips balanced', () => {
    const s = defaultLabState();
    s.config.classWeights = 'balanced';
    const q = serializeLabState(s);
    expect(q).to.match(/&cw=balanced(&|$)/);
    const { state, errors } = parseLabState(q);
    expect(errors).to.deep.equal([]);
    expect(state).to.deep.equal(s);
    expect(serializeLabState(state)).to.equal(q);
  });

  it('ignores an unknown value with a line saying why, keeping none', () => {
    const { state, errors } = parseLabState('?cw=heavy&epochs=3');
    expect(errors).to.deep.equal(['ignored cw=heavy: unknown class weights (expected one of none, balanced)']);
    expect(state.config.classWeights).to.equal('none');
    expect(state.config.epochs).to.equal(3);
  });
});
