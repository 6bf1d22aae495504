import { expect } from '@esm-bundle/chai';
import {
  DEFAULT_CNN,
  DEFAULT_MLP,
  DEFAULT_RATIOS,
  DEFAULT_SYNTHETIC,
  DEFAULT_TRAIN_CONFIG,
  validateModelSpec,
  validateRatios,
  validateSynthetic,
  validateTrainConfig,
} from '../../src/training/config';
import type { CnnSpec, MlpSpec, TrainConfig } from '../../src/training/types';

const config = (patch: Partial<TrainConfig>): TrainConfig => ({ ...structuredClone(DEFAULT_TRAIN_CONFIG), ...patch });
const mlp = (patch: Partial<MlpSpec>): MlpSpec => ({ ...structuredClone(DEFAULT_MLP), ...patch });
const cnn = (patch: Partial<CnnSpec>): CnnSpec => ({ ...structuredClone(DEFAULT_CNN), ...patch });

describe('defaults', () => {
  it('have the documented values', () => {
    expect(DEFAULT_TRAIN_CONFIG).to.deep.equal({
      epochs: 20,
      batchSize: 32,
      optimizer: 'adam',
      learningRate: 0.01,
      weightDecay: 0,
      schedule: { kind: 'constant' },
      earlyStopping: { enabled: false, patience: 5, monitor: 'val_loss' },
      seed: 42,
      backend: 'auto',
      saveFreq: 5,
      classWeights: 'none',
    });
    expect(DEFAULT_RATIOS).to.deep.equal({ train: 0.7, val: 0.15, test: 0.15 });
    expect(DEFAULT_MLP).to.deep.equal({ kind: 'mlp', hidden: [16, 16], activation: 'relu', dropout: 0 });
    expect(DEFAULT_CNN).to.deep.equal({ kind: 'cnn', filters: [8, 16], kernelSize: 3, dense: 32, activation: 'relu', dropout: 0 });
    expect(DEFAULT_SYNTHETIC).to.deep.equal({ samples: 600, noise: 0.1, classes: 3, seed: 42 });
  });

  it('are valid and frozen', () => {
    expect(validateTrainConfig(DEFAULT_TRAIN_CONFIG)).to.deep.equal({});
    expect(validateModelSpec(DEFAULT_MLP, 'tabular')).to.deep.equal({});
    expect(validateModelSpec(DEFAULT_CNN, 'image')).to.deep.equal({});
    expect(validateSynthetic(DEFAULT_SYNTHETIC)).to.deep.equal({});
    expect(validateRatios(DEFAULT_RATIOS)).to.deep.equal({});
    expect(Object.isFrozen(DEFAULT_TRAIN_CONFIG.earlyStopping)).to.equal(true);
    expect(Object.isFrozen(DEFAULT_MLP.hidden)).to.equal(true);
  });
});

describe('validateTrainConfig', () => {
  it('gives specific messages per field', () => {
    expect(validateTrainConfig(config({ learningRate: -1 }))).to.deep.equal({ learningRate: 'learning rate must be > 0 (got -1)' });
    expect(validateTrainConfig(config({ batchSize: 0 }))).to.deep.equal({ batchSize: 'batch size must be an integer ≥ 1 (got 0)' });
    expect(validateTrainConfig(config({ epochs: 1001 }))).to.deep.equal({ epochs: 'epochs must be an integer in 1..1000 (got 1001)' });
    expect(validateTrainConfig(config({ epochs: 2.5 })).epochs).to.equal('epochs must be an integer in 1..1000 (got 2.5)');
    expect(validateTrainConfig(config({ weightDecay: -0.1 }))).to.deep.equal({ weightDecay: 'weight decay must be ≥ 0 (got -0.1)' });
    expect(validateTrainConfig(config({ learningRate: NaN })).learningRate).to.equal('learning rate must be > 0 (got NaN)');
    expect(validateTrainConfig(config({ learningRate: 2e6 })).learningRate).to.equal('learning rate must be ≤ 1000000 (got 2000000)');
    expect(validateTrainConfig(config({ seed: -1 })).seed).to.equal('seed must be an integer in 0..4294967295 (got -1)');
    expect(validateTrainConfig(config({ optimizer: 'lbfgs' as never })).optimizer).to.equal(
      'optimizer must be one of sgd, momentum, adam, rmsprop (got lbfgs)',
    );
    expect(validateTrainConfig(config({ saveFreq: 0 }))).to.deep.equal({ saveFreq: 'checkpoint frequency must be an integer in 1..1000 (got 0)' });
    expect(validateTrainConfig(config({ saveFreq: 2.5 })).saveFreq).to.equal('checkpoint frequency must be an integer in 1..1000 (got 2.5)');
    expect(validateTrainConfig(config({ saveFreq: 1001 })).saveFreq).to.equal('checkpoint frequency must be an integer in 1..1000 (got 1001)');
    expect(validateTrainConfig(config({ saveFreq: 1 }))).to.deep.equal({});
    expect(validateTrainConfig(config({ saveFreq: 1000 }))).to.deep.equal({});
    expect(validateTrainConfig(config({ backend: 'tpu' as never })).backend).to.equal(
      'backend must be one of auto, webgpu, webgl, wasm, cpu (got tpu)',
    );
    expect(validateTrainConfig(config({ classWeights: 'balanced' }))).to.deep.equal({});
    expect(validateTrainConfig(config({ classWeights: 'auto' as never })).classWeights).to.equal('class weights must be one of none, balanced (got auto)');
  });

  it('checks the schedule and early stopping, keyed by path', () => {
    expect(validateTrainConfig(config({ schedule: { kind: 'step', stepSize: 0, gamma: 0 } }))).to.deep.equal({
      'schedule.stepSize': 'step size must be an integer in 1..1000 epochs (got 0)',
      'schedule.gamma': 'gamma must be in (0, 1] (got 0)',
    });
    expect(validateTrainConfig(config({ schedule: { kind: 'cosine', minLr: 0.1 } }))).to.deep.equal({
      'schedule.minLr': 'minimum learning rate must not exceed the learning rate (got 0.1 > 0.01)',
    });
    expect(validateTrainConfig(config({ earlyStopping: { enabled: true, patience: 0, monitor: 'val_f1' as never } }))).to.deep.equal({
      'earlyStopping.patience': 'early-stopping patience must be an integer in 1..1000 (got 0)',
      'earlyStopping.monitor': 'monitor must be one of val_loss, val_acc (got val_f1)',
    });
  });
});

describe('validateModelSpec', () => {
  it('explains why a CNN does not fit tabular data', () => {
    expect(validateModelSpec(DEFAULT_CNN, 'tabular', 'Spirals', 2)).to.deep.equal({
      kind: 'A CNN needs image data; Spirals is tabular (2 features). Choose MLP or an image dataset such as MNIST.',
    });
    expect(validateModelSpec(DEFAULT_CNN, 'tabular', 'Iris').kind).to.equal(
      'A CNN needs image data; Iris is tabular. Choose MLP or an image dataset such as MNIST.',
    );
    expect(validateModelSpec(DEFAULT_MLP, 'image', 'MNIST 10k')).to.deep.equal({});
  });

  it('checks MLP layers, activation and dropout', () => {
    expect(validateModelSpec(mlp({ hidden: [] }), 'tabular')).to.deep.equal({});
    expect(validateModelSpec(mlp({ hidden: [16, 0] }), 'tabular')).to.deep.equal({
      hidden: 'hidden units must be integers in 1..4096 (layer 2 has 0)',
    });
    expect(validateModelSpec(mlp({ hidden: [5000] }), 'tabular').hidden).to.equal('hidden units must be integers in 1..4096 (layer 1 has 5000)');
    expect(validateModelSpec(mlp({ hidden: new Array(9).fill(4) }), 'tabular').hidden).to.equal('at most 8 hidden layers (got 9)');
    expect(validateModelSpec(mlp({ dropout: 0.95 }), 'tabular')).to.deep.equal({ dropout: 'dropout must be in [0, 0.9] (got 0.95)' });
    expect(validateModelSpec(mlp({ activation: 'gelu' as never }), 'tabular')).to.deep.equal({
      activation: 'activation must be one of relu, tanh, sigmoid, elu (got gelu)',
    });
  });

  it('checks CNN blocks, kernel and dense units', () => {
    expect(validateModelSpec(cnn({ filters: [] }), 'image').filters).to.equal('a CNN needs at least 1 convolution block (got [])');
    expect(validateModelSpec(cnn({ filters: [8, 8, 8, 8, 8] }), 'image').filters).to.equal('at most 4 convolution blocks (got 5)');
    expect(validateModelSpec(cnn({ filters: [8, 1.5] }), 'image').filters).to.equal('filters must be integers in 1..256 (block 2 has 1.5)');
    expect(validateModelSpec(cnn({ kernelSize: 4 }), 'image')).to.deep.equal({ kernelSize: 'kernel size must be 3 or 5 (got 4)' });
    expect(validateModelSpec(cnn({ dense: -1 }), 'image')).to.deep.equal({ dense: 'dense units must be an integer in 0..4096 (got -1)' });
    expect(validateModelSpec(cnn({ dense: 0, kernelSize: 5 }), 'image')).to.deep.equal({});
  });

  it('rejects an unknown model kind', () => {
    expect(validateModelSpec({ kind: 'rnn' } as never, 'image')).to.deep.equal({ kind: 'model must be mlp or cnn (got rnn)' });
  });
});

describe('validateSynthetic and validateRatios', () => {
  it('check each synthetic option', () => {
    expect(validateSynthetic({ samples: 10, noise: 2, classes: 9, seed: 0.5 })).to.deep.equal({
      samples: 'samples must be an integer in 50..20000 (got 10)',
      noise: 'noise must be in [0, 1] (got 2)',
      classes: 'classes must be an integer in 2..5 (got 9)',
      seed: 'dataset seed must be an integer in 0..4294967295 (got 0.5)',
    });
  });

  it('check each fraction and their sum', () => {
    expect(validateRatios({ train: 0.8, val: 0.1, test: 0.1 })).to.deep.equal({});
    expect(validateRatios({ train: 1, val: 0, test: 0.1 })).to.deep.equal({
      train: 'train fraction must be in (0, 1) (got 1)',
      val: 'val fraction must be in (0, 1) (got 0)',
    });
    expect(validateRatios({ train: 0.5, val: 0.1, test: 0.1 })).to.deep.equal({
      sum: 'train, val and test fractions must add up to 1 (got 0.7)',
    });
  });
});
