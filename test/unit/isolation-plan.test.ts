import { expect } from '@esm-bundle/chai';
import { IsolationStep, isolationStep, type IsolationState } from '../../src/isolation-plan';

const host: IsolationState = { crossOriginIsolated: false, canRegister: true, controlled: false, reloadedBefore: false };

describe('isolationStep', () => {
  it('does nothing where the page is isolated already, whatever else holds', () => {
    expect(isolationStep({ ...host, crossOriginIsolated: true })).to.equal(IsolationStep.none);
    expect(isolationStep({ ...host, crossOriginIsolated: true, controlled: true, reloadedBefore: true })).to.equal(IsolationStep.none);
  });

  it('registers the service worker on a host that sent no headers', () => {
    expect(isolationStep(host)).to.equal(IsolationStep.register);
  });

  it('reloads once when the worker controls the page but the page is not isolated', () => {
    expect(isolationStep({ ...host, controlled: true })).to.equal(IsolationStep.reload);
  });

  it('gives up after one reload, and where no service worker can be registered', () => {
    expect(isolationStep({ ...host, reloadedBefore: true })).to.equal(IsolationStep.giveUp);
    expect(isolationStep({ ...host, controlled: true, reloadedBefore: true })).to.equal(IsolationStep.giveUp);
    expect(isolationStep({ ...host, canRegister: false })).to.equal(IsolationStep.giveUp);
  });
});
