import { expect } from '@esm-bundle/chai';
import { sha256OfDataset } from '../../src/recorder/dataset-hash';
import type { Dataset } from '../../src/training/types';

function tiny(overrides: Partial<Dataset> = {}): Dataset {
  return {
    id: 'xor',
    name: 'XOR',
    kind: 'tabular',
    source: 'synthetic:xor',
    inputShape: [2],
    classNames: ['a', 'b'],
    features: Float32Array.from([0, 1, 2, 3.5]),
    labels: Int32Array.from([0, 1]),
    numSamples: 2,
    ...overrides,
  };
}

describe('sha256OfDataset', () => {
  it('hashes header, float32 features and int32 labels (checked against Python hashlib)', async () => {
    expect(await sha256OfDataset(tiny())).to.equal('f89601d7a157f899b3132b95db999b0824602fee73cabd964d652d702bd8f210');
  });

  it('ignores name and source, and where the arrays sit in their buffers', async () => {
    const base = await sha256OfDataset(tiny());
    const big = Float32Array.from([9, 0, 1, 2, 3.5, 9]);
    expect(await sha256OfDataset(tiny({ name: 'other', source: 'elsewhere', features: big.subarray(1, 5) }))).to.equal(base);
  });

  it('changes with any feature, label or class name', async () => {
    const base = await sha256OfDataset(tiny());
    const variants = [
      tiny({ features: Float32Array.from([0, 1, 2, 3.25]) }),
      tiny({ labels: Int32Array.from([1, 1]) }),
      tiny({ classNames: ['a', 'c'] }),
      tiny({ inputShape: [1, 2] }),
    ];
    for (const v of variants) expect(await sha256OfDataset(v)).to.match(/^[0-9a-f]{64}$/).and.not.equal(base);
  });
});
