import { expect } from '@esm-bundle/chai';
import { prepareBuiltin, loadKey } from '../../src/training/datasets/builtin-prepare';
import { prepareBuiltinOffThread } from '../../src/training/datasets/dataset-client';
import { makeSynthetic } from '../../src/training/datasets/synthetic';
import { splitDataset } from '../../src/training/split';
import { sha256OfDataset } from '../../src/recorder/dataset-hash';

const synthetic = { samples: 300, noise: 0.1, classes: 3, seed: 4 };
const ratios = { train: 0.7, val: 0.15, test: 0.15 };
const publicUrl = () => new URL('/public/', location.href).href;

describe('prepareBuiltin (the dataset worker)', () => {
  it('gives the same data, split and hash as loading and splitting on the page', async () => {
    const ds = makeSynthetic('spirals', synthetic);
    const expected = splitDataset(ds, ratios, 9, { standardize: true });
    const off = await prepareBuiltinOffThread({ id: 'spirals', synthetic, ratios, seed: 9 });
    expect(off.sha256).to.equal(await sha256OfDataset(ds));
    expect(Array.from(off.dataset.labels)).to.deep.equal(Array.from(ds.labels));
    for (const part of ['train', 'val', 'test'] as const) {
      expect(Array.from(off.split![part].indices)).to.deep.equal(Array.from(expected[part].indices));
      expect(Array.from(off.split![part].x)).to.deep.equal(Array.from(expected[part].x));
    }
    expect(Array.from(off.split!.standardization!.mean)).to.deep.equal(Array.from(expected.standardization!.mean));
    expect(off.key).to.equal(loadKey({ id: 'spirals', synthetic }));
  });

  it('loads Iris and MNIST in the worker from the public folder', async () => {
    const iris = await prepareBuiltinOffThread({ id: 'iris', synthetic, ratios, seed: 1, baseUrl: publicUrl() });
    expect(iris.dataset.numSamples).to.equal(150);
    expect(iris.split!.train.n + iris.split!.val.n + iris.split!.test.n).to.equal(150);
    const mnist = await prepareBuiltinOffThread({ id: 'mnist', synthetic, ratios, seed: 1, baseUrl: publicUrl() });
    expect(mnist.dataset.inputShape).to.deep.equal([28, 28, 1]);
    expect(mnist.split!.standardization).to.equal(undefined); // images are not standardised
  });

  it('says why a split cannot be made, with the data still loaded', async () => {
    const p = await prepareBuiltin({ id: 'moons', synthetic: { ...synthetic, samples: 50 }, ratios: { train: 0.01, val: 0.49, test: 0.5 }, seed: 1, baseUrl: '/' });
    expect(p.split).to.equal(null);
    expect(p.splitError).to.match(/too few for one in train/);
    expect(p.dataset.numSamples).to.equal(50);
  });

  it('reports a load failure as the named error with its message', async () => {
    const err = await prepareBuiltinOffThread({ id: 'iris', synthetic, ratios, seed: 1, baseUrl: new URL('/nowhere/', location.href).href }).catch((e: Error) => e);
    expect((err as Error).name).to.equal('DatasetError');
    expect((err as Error).message).to.match(/could not load the Iris data set from .*nowhere/);
  });

  it('reuses a loaded dataset for a new split without loading it again', async () => {
    let fetches = 0;
    const counting: typeof fetch = (u, i) => (fetches++, fetch(u, i));
    const req = { id: 'iris' as const, synthetic, ratios, seed: 1, baseUrl: publicUrl() };
    const first = await prepareBuiltin(req, undefined, counting);
    const second = await prepareBuiltin({ ...req, seed: 2 }, first, counting);
    expect(fetches).to.equal(1);
    expect(second.dataset).to.equal(first.dataset);
    expect(Array.from(second.split!.train.indices)).to.not.deep.equal(Array.from(first.split!.train.indices));
  });
});
