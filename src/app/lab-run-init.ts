// A Lab run's RunRecordInit: what it trains on (the prepared data and its split), with what (the
// Lab's model and hyperparameters, the planned architecture), where (browser, app) and, for a run
// of a sweep, which sweep. The Lab's Train and each run of a sweep start from here.
import { APP_VERSION } from '../app-version';
import type { RunRecordInit } from '../recorder/recorder';
import { classWeightsFor } from '../training/class-weights';
import { isSyntheticDataset, type DatasetSplit, type LayerInfo } from '../training/types';
import { runQueryOf, selectedModel, type LabState } from '../url-state';
import { standardizedFor, type PreparedData } from './lab-data';

export function labRunInit(prepared: PreparedData, split: DatasetSplit, lab: LabState, arch: { layers: LayerInfo[]; totalParams: number }, sweepId: string | null): RunRecordInit {
  const ds = prepared.dataset;
  return {
    split,
    datasetName: ds.name,
    datasetSource: ds.source,
    datasetSha256: prepared.sha256,
    model: selectedModel(lab),
    config: lab.config,
    synthetic: isSyntheticDataset(ds.id) ? lab.synthetic : null,
    standardized: standardizedFor(prepared),
    dataFile: prepared.dataFile,
    classWeightValues: classWeightsFor(lab.config.classWeights, split.train.classCounts, split.classNames),
    urlQuery: runQueryOf(lab),
    sweepId,
    layers: arch.layers,
    totalParams: arch.totalParams,
    now: new Date(),
    userAgent: navigator.userAgent,
    appVersion: APP_VERSION,
    hardwareConcurrency: navigator.hardwareConcurrency ?? null,
  };
}
