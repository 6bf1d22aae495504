import { expect } from '@esm-bundle/chai';
import { MAX_WASM_THREADS, MIN_CORES_FOR_THREADS, threadingProbe, wasmThreading } from '../../src/training/wasm-threads';

const isolated = { crossOriginIsolated: true, sharedArrayBuffer: true, hardwareConcurrency: 2 };

describe('wasmThreading', () => {
  it('uses the threaded build with one thread per logical core where the page is isolated', () => {
    expect(wasmThreading({ ...isolated, hardwareConcurrency: 6 })).to.deep.equal({ threaded: true, threads: 6 });
    const fewest = Math.max(2, MIN_CORES_FOR_THREADS);
    expect(wasmThreading({ ...isolated, hardwareConcurrency: fewest })).to.deep.equal({ threaded: true, threads: fewest });
    expect(wasmThreading({ ...isolated, hardwareConcurrency: fewest - 1 })).to.deep.equal({ threaded: false, threads: 1 });
  });

  it('stays single-threaded without cross-origin isolation or SharedArrayBuffer', () => {
    expect(wasmThreading({ ...isolated, crossOriginIsolated: false })).to.deep.equal({ threaded: false, threads: 1 });
    expect(wasmThreading({ ...isolated, sharedArrayBuffer: false })).to.deep.equal({ threaded: false, threads: 1 });
  });

  it('stays single-threaded on one core or when the core count is unknown or nonsense', () => {
    for (const hardwareConcurrency of [1, 0, -4, 2.5, Number.NaN, undefined]) {
      expect(wasmThreading({ ...isolated, hardwareConcurrency }), String(hardwareConcurrency)).to.deep.equal({ threaded: false, threads: 1 });
    }
  });

  it('caps the pool on many-core machines', () => {
    expect(wasmThreading({ ...isolated, hardwareConcurrency: 64 })).to.deep.equal({ threaded: true, threads: MAX_WASM_THREADS });
  });

  it("reads this browser's isolation (the test runner sends no COOP/COEP)", () => {
    const probe = threadingProbe();
    expect(probe.crossOriginIsolated).to.equal(globalThis.crossOriginIsolated === true);
    expect(probe.sharedArrayBuffer).to.equal(typeof SharedArrayBuffer === 'function');
    expect(probe.hardwareConcurrency).to.equal(navigator.hardwareConcurrency);
  });
});
