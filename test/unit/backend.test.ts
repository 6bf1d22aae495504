import { expect } from '@esm-bundle/chai';
import {
  BackendError,
  chooseBackend,
  isSoftwareAdapter,
  type AdapterInfo,
  type BackendProbes,
  nextBackend,
} from '../../src/training/backend-choice';

const swiftshader: AdapterInfo = {
  vendor: 'google',
  architecture: 'swiftshader',
  device: '',
  description: 'SwiftShader Device (Subzero)',
  isFallbackAdapter: true,
};
const discrete: AdapterInfo = { vendor: 'nvidia', architecture: 'ada', device: '', description: '', isFallbackAdapter: false };

function probes(over: Partial<BackendProbes> = {}): BackendProbes {
  return {
    webgpu: { available: true, software: false, adapter: discrete },
    webgl: { available: true, renderer: 'ANGLE' },
    wasm: { available: true },
    ...over,
  };
}
const softwareGpu = { webgpu: { available: true, software: true, adapter: swiftshader } };

describe('chooseBackend', () => {
  it('auto tries webgpu → webgl → wasm → cpu when everything works, probing the three GPU/wasm paths', () => {
    expect(chooseBackend('auto', probes())).to.deep.equal({ order: ['webgpu', 'webgl', 'wasm', 'cpu'], skipped: [], probe: ['webgpu', 'webgl', 'wasm'] });
  });

  it('auto skips a software (SwiftShader) adapter with the reason', () => {
    const plan = chooseBackend('auto', probes(softwareGpu));
    expect(plan.order).to.deep.equal(['webgl', 'wasm', 'cpu']);
    expect(plan.skipped).to.deep.equal([
      { name: 'webgpu', reason: 'software adapter (SwiftShader), slower than wasm; force it with ?backend=webgpu' },
    ]);
  });

  it('auto skips a software WebGL renderer when wasm runs (whatever the model: the choice no longer depends on it), but probes it against wasm', () => {
    const renderer = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)';
    const noGpu = probes({ ...softwareGpu, webgl: { available: true, renderer } });
    const plan = chooseBackend('auto', noGpu);
    expect(plan.order).to.deep.equal(['wasm', 'cpu']);
    expect(plan.probe).to.deep.equal(['wasm', 'webgl']);
    expect(plan.skipped[1]).to.deep.equal({ name: 'webgl', reason: `software renderer (${renderer}), slower than wasm here; force it with ?backend=webgl` });
    const noWasm = chooseBackend('auto', probes({ ...softwareGpu, webgl: { available: true, renderer }, wasm: { available: false, reason: 'no WebAssembly' } }));
    expect(noWasm.order, 'without wasm a software renderer is used').to.deep.equal(['webgl', 'cpu']);
    expect(noWasm.probe, 'and cpu is a candidate').to.deep.equal(['webgl', 'cpu']);
    expect(chooseBackend('webgl', noGpu)).to.deep.equal({ order: ['webgl'], skipped: [], probe: [] });
  });

  it('nothing to probe when a single backend besides cpu remains', () => {
    const onlyWasm = probes({ ...softwareGpu, webgl: { available: false, reason: 'no WebGL' } });
    expect(chooseBackend('auto', onlyWasm)).to.deep.include({ order: ['wasm', 'cpu'], probe: [] });
  });

  it('recognises software adapters by the fallback flag or by name', () => {
    expect(isSoftwareAdapter(swiftshader)).to.equal(true);
    expect(isSoftwareAdapter({ ...swiftshader, isFallbackAdapter: false })).to.equal(true);
    expect(isSoftwareAdapter({ ...discrete, isFallbackAdapter: true })).to.equal(true);
    expect(isSoftwareAdapter(discrete)).to.equal(false);
  });

  it('a forced backend is used alone and never probed, even a software adapter or wasm for a CNN', () => {
    expect(chooseBackend('webgpu', probes(softwareGpu))).to.deep.equal({ order: ['webgpu'], skipped: [], probe: [] });
    expect(chooseBackend('webgpu', probes(softwareGpu)).order).to.deep.equal(['webgpu']);
    expect(chooseBackend('wasm', probes())).to.deep.equal({ order: ['wasm'], skipped: [], probe: [] });
  });

  it('falls back past failed probes, keeping their reasons, down to cpu', () => {
    const plan = chooseBackend(
      'auto',
      probes({
        webgpu: { available: false, software: false, reason: 'no navigator.gpu' },
        webgl: { available: false, reason: 'could not create a WebGL context' },
      }),
    );
    expect(plan.order).to.deep.equal(['wasm', 'cpu']);
    expect(plan.skipped.map((s) => [s.name, s.reason])).to.deep.equal([
      ['webgpu', 'no navigator.gpu'],
      ['webgl', 'could not create a WebGL context'],
    ]);
    const cnn = chooseBackend('auto', probes({ ...softwareGpu, webgl: { available: false, reason: 'no WebGL' }, wasm: { available: false } }));
    expect(cnn.order).to.deep.equal(['cpu']);
    expect(cnn.skipped.map((s) => s.name)).to.deep.equal(['webgpu', 'webgl', 'wasm']);
    const bare = chooseBackend('auto', probes({ ...softwareGpu, webgl: { available: false }, wasm: { available: false, reason: 'no WebAssembly' } }));
    expect(bare.order).to.deep.equal(['cpu']);
  });

  it('forcing a backend the browser lacks is an error with the probe reason; cpu is always there', () => {
    const none = probes({ webgpu: { available: false, software: false, reason: 'no navigator.gpu' } });
    expect(() => chooseBackend('webgpu', none)).to.throw(BackendError, /webgpu .*not available: no navigator.gpu/);
    expect(chooseBackend('cpu', probes({ wasm: { available: false } }))).to.deep.equal({ order: ['cpu'], skipped: [], probe: [] });
    expect(() => chooseBackend('tpu' as never, probes())).to.throw(BackendError, /unknown backend/);
  });
});

describe('nextBackend (after a lost device)', () => {
  it('is the next in the automatic order, for MLPs and CNNs alike; none after cpu', () => {
    expect(nextBackend('webgpu')).to.equal('webgl');
    expect(nextBackend('webgl')).to.equal('wasm', 'for CNNs too: they train on wasm');
    expect(nextBackend('cpu')).to.equal(null);
  });
});
