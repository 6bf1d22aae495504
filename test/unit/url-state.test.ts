import { expect } from '@esm-bundle/chai';
import { defaultLabState, parseLabState, selectedModel, serializeLabState, type LabState } from '../../src/url-state';
import { defaultOwnDataSpec } from '../../src/app/own-data-spec';
import { createRng } from '../../src/training/rng';
import { ACTIVATIONS, BACKENDS, CLASS_WEIGHTINGS, DATASET_IDS, MONITORS, OPTIMIZERS, type LrSchedule } from '../../src/training/types';

const DEFAULT_QUERY =
  '?dataset=spirals&samples=600&noise=0.1&classes=3&dseed=42&split=70,15,15&model=mlp&hidden=16,16&act=relu&dropout=0' +
  '&epochs=20&batch=32&optimizer=adam&lr=0.01&wd=0&sched=constant&seed=42';

function parseOk(search: string): LabState {
  const { state, errors } = parseLabState(search);
  expect(errors, search).to.deep.equal([]);
  return state;
}

describe('url state: defaults and serialization', () => {
  it('an empty query gives the defaults without errors', () => {
    const s = parseOk('');
    expect(s).to.deep.equal(defaultLabState());
    expect(s.dataset).to.equal('spirals');
    expect(s.model).to.equal('mlp');
    expect(selectedModel(s)).to.deep.equal({ kind: 'mlp', hidden: [16, 16], activation: 'relu', dropout: 0 });
    expect(parseOk('?')).to.deep.equal(defaultLabState());
  });

  it('writes everything a run needs, backend only when not auto, autostart only when on', () => {
    expect(serializeLabState(defaultLabState())).to.equal(DEFAULT_QUERY);
    const s = defaultLabState();
    s.config.backend = 'webgpu';
    s.autostart = true;
    expect(serializeLabState(s)).to.equal(`${DEFAULT_QUERY}&backend=webgpu&autostart=1`);
  });

  it('writes the selected model in full and the other one only where edited', () => {
    const s = defaultLabState();
    s.dataset = 'mnist';
    s.model = 'cnn';
    s.mlp.activation = 'tanh';
    const q = serializeLabState(s);
    expect(q).to.equal(
      '?dataset=mnist&split=70,15,15&model=cnn&filters=8,16&kernel=3&dense=32&mlp.act=tanh&act=relu&dropout=0' +
        '&epochs=20&batch=32&optimizer=adam&lr=0.01&wd=0&sched=constant&seed=42',
    );
    expect(parseOk(q)).to.deep.equal(s);
  });

  it('writes schedule and early-stopping parameters when they apply', () => {
    const s = defaultLabState();
    s.config.schedule = { kind: 'plateau', factor: 0.2, patience: 4, minLr: 1e-5 };
    s.config.earlyStopping = { enabled: true, patience: 7, monitor: 'val_acc' };
    const q = serializeLabState(s);
    expect(q).to.contain('&sched=plateau&minlr=0.00001&factor=0.2&lrpatience=4&es=1&patience=7&monitor=val_acc&seed=42');
    expect(parseOk(q)).to.deep.equal(s);
  });
});

describe('url state: fixed parameter names', () => {
  it('reads dataset, model, epochs, batch, lr, optimizer, seed, backend, autostart', () => {
    const s = parseOk('?dataset=mnist&model=cnn&epochs=5&batch=64&lr=0.003&optimizer=rmsprop&seed=7&backend=wasm&autostart=1');
    expect(s.dataset).to.equal('mnist');
    expect(s.model).to.equal('cnn');
    expect(selectedModel(s).kind).to.equal('cnn');
    expect(s.config).to.include({ epochs: 5, batchSize: 64, learningRate: 0.003, optimizer: 'rmsprop', seed: 7, backend: 'wasm' });
    expect(s.autostart).to.equal(true);
  });

  it('accepts every dataset, optimizer and backend name', () => {
    for (const d of DATASET_IDS) expect(parseOk(`?dataset=${d}`).dataset).to.equal(d);
    for (const o of OPTIMIZERS) expect(parseOk(`?optimizer=${o}`).config.optimizer).to.equal(o);
    for (const b of BACKENDS) expect(parseOk(`?backend=${b}`).config.backend).to.equal(b);
    expect(parseOk('?backend=auto').config.backend).to.equal('auto');
    expect(parseOk('?autostart=0').autostart).to.equal(false);
  });

  it('reads our own names', () => {
    const s = parseOk(
      '?dataset=moons&samples=1000&noise=0.3&classes=2&dseed=9&split=80,10,10&hidden=32,8,4&act=tanh&dropout=0.2' +
        '&filters=4&kernel=5&dense=0&wd=0.0005&sched=step&step=5&gamma=0.1',
    );
    expect(s.synthetic).to.deep.equal({ samples: 1000, noise: 0.3, classes: 2, seed: 9 });
    expect(s.ratios).to.deep.equal({ train: 0.8, val: 0.1, test: 0.1 });
    expect(s.mlp).to.deep.equal({ kind: 'mlp', hidden: [32, 8, 4], activation: 'tanh', dropout: 0.2 });
    expect(s.cnn).to.deep.equal({ kind: 'cnn', filters: [4], kernelSize: 5, dense: 0, activation: 'relu', dropout: 0 });
    expect(s.config.weightDecay).to.equal(0.0005);
    expect(s.config.schedule).to.deep.equal({ kind: 'step', stepSize: 5, gamma: 0.1 });
    expect(parseOk('?split=0.6,0.2,0.2').ratios).to.deep.equal({ train: 0.6, val: 0.2, test: 0.2 });
    expect(parseOk('?hidden=').mlp.hidden).to.deep.equal([]);
  });
});

describe('url state: checkpoint frequency', () => {
  it('writes save only when it differs from the default and reads it back', () => {
    const s = defaultLabState();
    s.config.saveFreq = 10;
    const q = serializeLabState(s);
    expect(q).to.equal(DEFAULT_QUERY.replace('&seed=42', '&save=10&seed=42'));
    expect(parseOk(q)).to.deep.equal(s);
    expect(parseOk('?save=5').config.saveFreq).to.equal(5);
    expect(serializeLabState(parseOk('?save=5'))).to.equal(DEFAULT_QUERY);
  });

  it('rejects a frequency outside 1..1000 with a readable error', () => {
    for (const bad of ['0', '1001', '2.5']) {
      const { state, errors } = parseLabState(`?save=${bad}`);
      expect(state.config.saveFreq).to.equal(5);
      expect(errors).to.deep.equal([`ignored save=${bad}: checkpoint frequency must be an integer in 1..1000 (got ${bad})`]);
    }
    expect(parseLabState('?save=x').errors).to.deep.equal(['ignored save=x: not a number']);
  });
});

describe('url state: invalid input', () => {
  it('falls back to defaults with a readable error for each bad value', () => {
    const { state, errors } = parseLabState(
      '?dataset=foo&model=rnn&epochs=0&batch=abc&lr=-1&optimizer=lbfgs&seed=1.5&backend=tpu&autostart=yes&hidden=16,x&dropout=2&split=50,10,10',
    );
    expect(state).to.deep.equal(defaultLabState());
    expect(errors).to.deep.equal([
      'ignored dataset=foo: unknown dataset (expected one of spirals, moons, circles, xor, blobs, iris, mnist, file)',
      'ignored split=50,10,10: train, val and test fractions must add up to 1 (got 0.7)',
      'ignored model=rnn: unknown model (expected one of mlp, cnn)',
      'ignored hidden=16,x: expected comma-separated numbers',
      'ignored dropout=2: dropout must be in [0, 0.9] (got 2)',
      'ignored epochs=0: epochs must be an integer in 1..1000 (got 0)',
      'ignored batch=abc: not a number',
      'ignored optimizer=lbfgs: unknown optimizer (expected one of sgd, momentum, adam, rmsprop)',
      'ignored lr=-1: learning rate must be > 0 (got -1)',
      'ignored seed=1.5: seed must be an integer in 0..4294967295 (got 1.5)',
      'ignored backend=tpu: unknown backend (expected one of webgpu, webgl, wasm, cpu)',
      'ignored autostart=yes: expected 1 or 0',
    ]);
  });

  it('keeps valid values beside invalid ones and reports unknown parameters', () => {
    const { state, errors } = parseLabState('?epochs=50&lr=0&foo=bar&batch=16');
    expect(state.config).to.include({ epochs: 50, batchSize: 16, learningRate: 0.01 });
    expect(errors).to.deep.equal(['ignored foo=bar: unknown parameter', 'ignored lr=0: learning rate must be > 0 (got 0)']);
  });

  it('reports schedule parameters that do not apply and cross-field problems', () => {
    const { state, errors } = parseLabState('?step=5&lr=0.01&sched=cosine&minlr=0.5');
    expect(state.config.schedule).to.deep.equal({ kind: 'cosine', minLr: 0 });
    expect(errors).to.deep.equal([
      'ignored step=5: only used with sched=step',
      'ignored minlr=0.5: minimum learning rate must not exceed the learning rate (got 0.5 > 0.01)',
    ]);
    expect(parseLabState('?sched=warmup').errors).to.deep.equal([
      'ignored sched=warmup: unknown schedule (expected one of constant, step, cosine, plateau)',
    ]);
  });

  it('never throws on odd input', () => {
    for (const q of ['?&&=', '?lr=', '?split=1', '?hidden=,,', '?%E0%A4%A=1', '?epochs=1e400', 'dataset=iris']) {
      expect(() => parseLabState(q), q).to.not.throw();
    }
    expect(parseLabState('dataset=iris').state.dataset).to.equal('iris');
  });
});

describe('url state: round trip', () => {
  it('parse(serialize(s)) deep-equals s for random valid states', () => {
    const rng = createRng(1234); // seeded: the same 300 states on every run
    const rand = () => rng.next();
    const int = (a: number, b: number) => a + rng.int(b - a + 1);
    const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)];
    for (let i = 0; i < 300; i++) {
      const lr = pick([0.1, 0.01, 1e-4, rand() * 0.5 + 1e-9, 3e-7]);
      const train = pick([0.7, 0.8, 0.6, 0.5 + rand() * 0.3]);
      const val = (1 - train) * pick([0.5, 0.25, rand() * 0.8 + 0.1]);
      const schedules: LrSchedule[] = [
        { kind: 'constant' },
        { kind: 'step', stepSize: int(1, 50), gamma: pick([0.5, 0.1, rand() * 0.99 + 0.01]) },
        { kind: 'cosine', minLr: pick([0, lr / 100, rand() * lr]) },
        { kind: 'plateau', factor: pick([0.5, rand() * 0.9 + 0.05]), patience: int(1, 20), minLr: pick([0, rand() * lr]) },
      ];
      const s: LabState = {
        dataset: pick(DATASET_IDS),
        synthetic: { samples: int(50, 20000), noise: pick([0, 0.15, rand()]), classes: int(2, 5), seed: int(0, 2 ** 32 - 1) },
        ratios: { train, val, test: 1 - train - val },
        splitSeed: pick([null, int(0, 2 ** 32 - 1)]),
        model: pick(['mlp', 'cnn'] as const),
        mlp: {
          kind: 'mlp',
          hidden: Array.from({ length: int(0, 8) }, () => int(1, 4096)),
          activation: pick(ACTIVATIONS),
          dropout: pick([0, 0.5, rand() * 0.9]),
        },
        cnn: {
          kind: 'cnn',
          filters: Array.from({ length: int(1, 4) }, () => int(1, 256)),
          kernelSize: pick([3, 5]),
          dense: int(0, 4096),
          activation: pick(ACTIVATIONS),
          dropout: pick([0, 0.25, rand() * 0.9]),
        },
        config: {
          epochs: int(1, 1000),
          batchSize: int(1, 4096),
          optimizer: pick(OPTIMIZERS),
          learningRate: lr,
          weightDecay: pick([0, 1e-4, rand()]),
          schedule: pick(schedules),
          earlyStopping: { enabled: rand() < 0.5, patience: int(1, 100), monitor: pick(MONITORS) },
          seed: int(0, 2 ** 32 - 1),
          backend: pick(['auto', ...BACKENDS] as const),
          saveFreq: pick([5, 1, int(1, 1000)]),
          classWeights: pick(CLASS_WEIGHTINGS),
        },
        autostart: rand() < 0.5,
        own: defaultOwnDataSpec(), // not written for a built-in dataset: read back as the default
      };
      const q = serializeLabState(s);
      const { state, errors } = parseLabState(q);
      expect(errors, q).to.deep.equal([]);
      expect(state, q).to.deep.equal(s);
      expect(serializeLabState(state)).to.equal(q);
    }
  });
});
