import { expect } from '@esm-bundle/chai';
import {
  BackendError,
  chooseBackend,
  isSoftwareAdapter,
  WASM_CNN_REASON,
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
  it('auto tries webgpu → webgl → wasm → cpu when everything works', () => {
    expect(chooseBackend('auto', 'mlp', probes())).to.deep.equal({ order: ['webgpu', 'webgl', 'wasm', 'cpu'], skipped: [] });
  });

  it('auto skips a software (SwiftShader) adapter with the reason', () => {
    const plan = chooseBackend('auto', 'mlp', probes(softwareGpu));
    expect(plan.order).to.deep.equal(['webgl', 'wasm', 'cpu']);
    expect(plan.skipped).to.deep.equal([
      { name: 'webgpu', reason: 'software adapter (SwiftShader), slower than wasm; force it with ?backend=webgpu' },
    ]);
  });

  it('auto skips a software WebGL renderer for an MLP when wasm runs, but keeps it for a CNN', () => {
    const renderer = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)';
    const noGpu = probes({ ...softwareGpu, webgl: { available: true, renderer } });
    const mlp = chooseBackend('auto', 'mlp', noGpu);
    expect(mlp.order).to.deep.equal(['wasm', 'cpu']);
    expect(mlp.skipped[1]).to.deep.equal({
      name: 'webgl',
      reason: `software renderer (${renderer}), slower than wasm for an MLP; force it with ?backend=webgl`,
    });
    expect(chooseBackend('auto', 'cnn', noGpu).order).to.deep.equal(['webgl', 'cpu']);
    expect(chooseBackend('auto', 'mlp', probes({ webgl: { available: true, renderer }, wasm: { available: false, reason: 'no WebAssembly' } })).order)
      .to.deep.equal(['webgpu', 'webgl', 'cpu']);
    expect(chooseBackend('webgl', 'mlp', noGpu).order).to.deep.equal(['webgl']);
  });

  it('recognises software adapters by the fallback flag or by name', () => {
    expect(isSoftwareAdapter(swiftshader)).to.equal(true);
    expect(isSoftwareAdapter({ ...swiftshader, isFallbackAdapter: false })).to.equal(true);
    expect(isSoftwareAdapter({ ...discrete, isFallbackAdapter: true })).to.equal(true);
    expect(isSoftwareAdapter(discrete)).to.equal(false);
  });

  it('a forced webgpu is used alone, even on a software adapter', () => {
    expect(chooseBackend('webgpu', 'mlp', probes(softwareGpu))).to.deep.equal({ order: ['webgpu'], skipped: [] });
    expect(chooseBackend('webgpu', 'cnn', probes(softwareGpu)).order).to.deep.equal(['webgpu']);
  });

  it('auto skips wasm for CNNs with the reason', () => {
    const plan = chooseBackend('auto', 'cnn', probes());
    expect(plan.order).to.deep.equal(['webgpu', 'webgl', 'cpu']);
    expect(plan.skipped).to.deep.equal([{ name: 'wasm', reason: WASM_CNN_REASON }]);
    expect(WASM_CNN_REASON).to.equal('tfjs 4.22 wasm has no conv backprop kernels');
  });

  it('forcing wasm for a CNN is an error naming the missing kernels; for an MLP it is fine', () => {
    expect(() => chooseBackend('wasm', 'cnn', probes())).to.throw(BackendError, WASM_CNN_REASON);
    expect(chooseBackend('wasm', 'mlp', probes())).to.deep.equal({ order: ['wasm'], skipped: [] });
  });

  it('falls back past failed probes, keeping their reasons, down to cpu', () => {
    const plan = chooseBackend(
      'auto',
      'mlp',
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
    const cnn = chooseBackend('auto', 'cnn', probes({ ...softwareGpu, webgl: { available: false, reason: 'no WebGL' } }));
    expect(cnn.order).to.deep.equal(['cpu']);
    expect(cnn.skipped.map((s) => s.name)).to.deep.equal(['webgpu', 'webgl', 'wasm']);
    const bare = chooseBackend('auto', 'mlp', probes({ ...softwareGpu, webgl: { available: false }, wasm: { available: false, reason: 'no WebAssembly' } }));
    expect(bare.order).to.deep.equal(['cpu']);
  });

  it('forcing a backend the browser lacks is an error with the probe reason; cpu is always there', () => {
    const none = probes({ webgpu: { available: false, software: false, reason: 'no navigator.gpu' } });
    expect(() => chooseBackend('webgpu', 'mlp', none)).to.throw(BackendError, /webgpu .*not available: no navigator.gpu/);
    expect(chooseBackend('cpu', 'cnn', probes({ wasm: { available: false } }))).to.deep.equal({ order: ['cpu'], skipped: [] });
    expect(() => chooseBackend('tpu' as never, 'mlp', probes())).to.throw(BackendError, /unknown backend/);
  });
});

describe('nextBackend (after a lost device)', () => {
  it('is the next in the automatic order that can train the model; none after cpu', () => {
    expect(nextBackend('webgpu', 'mlp')).to.equal('webgl');
    expect(nextBackend('webgl', 'mlp')).to.equal('wasm');
    expect(nextBackend('webgl', 'cnn')).to.equal('cpu', 'CNNs never go to wasm');
    expect(nextBackend('cpu', 'mlp')).to.equal(null);
  });
});
