// Shared set-up for tests of the page-side TrainingSession: a host that renders nothing, a poller,
// and a small moons run with everything the recorder needs.
import type { ReactiveControllerHost } from 'lit';
import { APP_VERSION } from '../../src/app-version';
import type { RunRecordInit } from '../../src/recorder/recorder';
import { sha256OfDataset } from '../../src/recorder/dataset-hash';
import { planArchitecture } from '../../src/training/architecture';
import { classWeightsFor } from '../../src/training/class-weights';
import { makeSynthetic } from '../../src/training/datasets/synthetic';
import { splitDataset } from '../../src/training/split';
import type { DatasetSplit, MlpSpec, TrainConfig } from '../../src/training/types';

export const quietHost: ReactiveControllerHost = {
  addController() {},
  removeController() {},
  requestUpdate() {},
  updateComplete: Promise.resolve(true),
};

export async function until(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const t0 = performance.now();
  while (!(await probe())) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A 200-point moons split and the record init of a run of `model` with `config` on it. */
export async function moonsRun(model: MlpSpec, config: TrainConfig): Promise<{ split: DatasetSplit; init: RunRecordInit }> {
  const ds = makeSynthetic('moons', { samples: 200, noise: 0.1, classes: 2, seed: 1 });
  const split = splitDataset(ds, { train: 0.7, val: 0.15, test: 0.15 }, 1, { standardize: true });
  const plan = planArchitecture(model, ds.inputShape, ds.classNames.length);
  const init = {
    split, datasetName: ds.name, datasetSource: ds.source, datasetSha256: await sha256OfDataset(ds), model, config,
    synthetic: null, standardized: true, urlQuery: '?dataset=moons', layers: plan.layers, totalParams: plan.totalParams,
    now: new Date(), userAgent: navigator.userAgent, appVersion: APP_VERSION, hardwareConcurrency: 2,
    dataFile: null, classWeightValues: classWeightsFor(config.classWeights, split.train.classCounts, split.classNames),
  };
  return { split, init };
}
