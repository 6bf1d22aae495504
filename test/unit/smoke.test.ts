import { expect } from '@esm-bundle/chai';

describe('environment', () => {
  it('has a WebGPU adapter on localhost', async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    expect(adapter, 'WebGPU adapter').to.not.equal(null);
  });
});
