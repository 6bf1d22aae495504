import { expect } from '@esm-bundle/chai';
import { applyEvent, createRunRecord, formatDuration, makeRunId, markInterrupted, restartRecord, resumeRecord } from '../../src/recorder/recorder';
import { snapshotRefs, unreferencedKeys, withCheckpoints } from '../../src/recorder/checkpoint-refs';
import type { LabRunRecord } from '../../src/recorder/run-record';
import { validateLabRecord, validateRunRecord } from '../../src/recorder/run-record-validate';
import { balancedClassWeights } from '../../src/training/class-weights';
import { confusionMatrix, perClassMetrics } from '../../src/training/metrics';
import { isoWithOffset } from '../../src/training/time';
import { at, BACKEND, classRecallAt, epochEvent, finished, makeInit, makeSnapshot, makeSplit, runEpochs, started, T0, TEST_RESULT } from '../helpers/run-fixtures';
import { imagesDataFile, tableDataFile } from '../fixtures/own-data-records';

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null && !ArrayBuffer.isView(o) && !(o instanceof ArrayBuffer)) {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
}

describe('recorder: createRunRecord', () => {
  it('starts a running, valid record named after the model and the local start time', () => {
    const r = createRunRecord(makeInit());
    expect(r.run_id).to.equal('mlp_20260315_090502');
    expect(r.run_name).to.equal(r.run_id);
    expect(r.status).to.equal('running');
    expect(r.model_name).to.equal('mlp');
    expect(r.start_time).to.equal(isoWithOffset(T0)).and.match(/^2026-03-15T09:05:02\.250[+-]\d\d:\d\d$/);
    expect(r.training_duration_formatted).to.equal('0:00:00');
    expect(validateRunRecord(r)).to.deep.equal(r);
  });

  it('names the run {model}_{YYYYMMDD_HHMMSS} in local time', () => {
    expect(createRunRecord(makeInit()).run_id).to.equal('mlp_20260315_090502');
    expect(makeRunId('cnn', new Date(2026, 11, 1, 23, 0, 9))).to.equal('cnn_20261201_230009');
  });

  it('copies config, dataset and the planned architecture in the reference units', () => {
    const r = createRunRecord(makeInit());
    expect(r.config).to.include({ epochs: 10, batch_size: 32, learning_rate: 0.01, device: null, save_freq: 2, backend_requested: 'auto', dataset: 'spirals', train_ratio: 0.7, stratified: true });
    expect(r.dataset).to.include({ num_classes: 3, num_train_samples: 42, num_val_samples: 9, num_test_samples: 9, sha256: 'ab'.repeat(32) });
    expect(r.dataset.class_distribution).to.deep.equal({ train: [14, 14, 14], val: [3, 3, 3], test: [3, 3, 3] });
    expect(r.architecture).to.deep.include({ total_params: 371, trainable_params: 371, non_trainable_params: 0 });
    expect(r.training.model_selection_method).to.equal('validation_loss');
    const byAcc = makeInit();
    byAcc.config = { ...byAcc.config, earlyStopping: { enabled: true, patience: 2, monitor: 'val_acc' } };
    expect(createRunRecord(byAcc).training.model_selection_method).to.equal('validation_accuracy');
  });
});

describe('recorder: own data and class weights', () => {
  /** An init for a run on its own data (split 'file'), with balanced class weights from the train split. */
  function ownInit(dataFile = tableDataFile()) {
    const split = { ...makeSplit(), datasetId: 'file' as const, train: { ...makeSplit().train, classCounts: [21, 14, 7] } };
    const base = makeInit();
    return makeInit({ split, dataFile, config: { ...base.config, classWeights: 'balanced' }, classWeightValues: balancedClassWeights(split.train.classCounts) });
  }

  it('a built-in run: unweighted loss (class_weights false, as the reference writes it), no data file', () => {
    const r = createRunRecord(makeInit());
    expect(r.config).to.include({ class_weights: false, class_weight_values: null });
    expect(r.dataset.data_file).to.equal(null);
  });

  it('a run on its own table: dataset "file", its data file copied whole, the class weights as used', () => {
    const init = ownInit();
    const r = createRunRecord(init);
    expect([r.config.dataset, r.dataset.id]).to.deep.equal(['file', 'file']);
    expect(r.config.class_weights).to.equal(true);
    expect(r.config.class_weight_values).to.deep.equal([42 / (3 * 21), 42 / (3 * 14), 42 / (3 * 7)]);
    expect(r.dataset.data_file).to.deep.equal(tableDataFile());
    // A copy: changing the page's objects later does not change the record.
    expect(r.dataset.data_file).to.not.equal(init.dataFile);
    init.classWeightValues![0] = 99;
    expect(r.config.class_weight_values![0]).to.equal(42 / 63);
    expect(validateLabRecord(JSON.parse(JSON.stringify(r)))).to.deep.equal(r);
    const done = applyEvent(applyEvent(applyEvent(r, started(), at(1)), epochEvent(1), at(3)), finished('completed', 1, 1), at(4));
    expect(done.dataset.data_file).to.deep.equal(r.dataset.data_file);
    expect(validateLabRecord(done)).to.deep.equal(done);
  });

  it('a run on its own images keeps the image set it was given', () => {
    const r = createRunRecord(ownInit(imagesDataFile()));
    expect(r.dataset.data_file).to.deep.equal(imagesDataFile());
    expect(validateLabRecord(r)).to.deep.equal(r);
  });

  it('refuses an init whose data file or class weights disagree with the split and the config', () => {
    const own = ownInit();
    const base = makeInit();
    expect(() => createRunRecord({ ...own, dataFile: null })).to.throw(RangeError, 'a run on its own data (dataset "file") needs its data file');
    expect(() => createRunRecord({ ...base, dataFile: tableDataFile() })).to.throw(RangeError, 'a run on the built-in dataset "spirals" has no data file');
    expect(() => createRunRecord({ ...own, classWeightValues: null })).to.throw(RangeError, 'balanced class weights need one finite weight per class (3); got none');
    expect(() => createRunRecord({ ...own, classWeightValues: [1, 2] })).to.throw(RangeError, 'balanced class weights need one finite weight per class (3); got 2');
    expect(() => createRunRecord({ ...own, classWeightValues: [1, 2, Infinity] })).to.throw(RangeError, 'balanced class weights need one finite weight per class (3); got 3');
    expect(() => createRunRecord({ ...base, classWeightValues: [1, 1, 1] })).to.throw(RangeError, 'class weights "none" take no weight values');
  });
});

describe('recorder: applyEvent', () => {
  it('records the backend actually used on started', () => {
    const r = applyEvent(createRunRecord(makeInit()), started(), at(1));
    expect(r.config.device).to.equal('webgpu');
    expect(r.environment).to.deep.include({ backend: 'webgpu', backend_forced: false, tfjs_version: '4.22.0', webgl_renderer: null, user_agent: 'test-agent' });
    expect(r.environment.backends_skipped).to.deep.equal(BACKEND.skipped);
    expect(r.environment.webgpu_adapter).to.deep.include({ architecture: 'swiftshader', is_fallback_adapter: true });
  });

  it('appends epochs in snake_case, tracks best and finals, and never mutates its input', () => {
    const before = deepFreeze(runEpochs(2, 2));
    const r = applyEvent(before, epochEvent(3, makeSnapshot(3), 2), at(7));
    expect(before.history).to.have.length(2);
    expect(r.history[2]).to.deep.equal({ epoch: 3, train_loss: 1 / 3, train_acc: 62, val_loss: 0.6, val_acc: 48, learning_rate: 0.01, epoch_time_seconds: 2, samples_per_second: 21 });
    expect(r.training).to.include({ best_epoch: 2, best_val_loss: 0.5, best_val_accuracy: 48, epochs_completed: 3, final_train_acc: 62, final_val_loss: 0.6 });
    expect(applyEvent(r, { type: 'best', epoch: 3, monitor: 'val_loss', value: 0.6 }, at(7)).training.best_epoch).to.equal(3);
    expect(applyEvent(r, { type: 'best', epoch: 9, monitor: 'val_loss', value: 0.1 }, at(7)).training.best_epoch).to.equal(2);
    expect(applyEvent(r, { type: 'progress', epoch: 4, batch: 1, batchesPerEpoch: 2, samplesPerSec: 1, etaSeconds: 1, learningRate: 0.01 }, at(8))).to.equal(r);
  });

  it('records each epoch\'s per-class validation recall beside the history (not in it), replacing a repeated epoch', () => {
    const r = runEpochs(3);
    expect(r.per_class_recall_history).to.deep.equal([1, 2, 3].map((epoch) => ({ epoch, recall: classRecallAt(epoch) })));
    expect(r.history[0]).to.not.have.property('recall');
    const again = applyEvent(r, { ...epochEvent(3), metrics: { ...epochEvent(3).metrics, classRecall: [1, 2, 3] } }, at(9));
    expect(again.per_class_recall_history.map((c) => c.recall)).to.deep.equal([classRecallAt(1), classRecallAt(2), [1, 2, 3]]);
    const without = applyEvent(r, { ...epochEvent(4), metrics: { ...epochEvent(4).metrics, classRecall: undefined } }, at(9));
    expect(without.per_class_recall_history.map((c) => c.epoch)).to.deep.equal([1, 2, 3]);
    expect(restartRecord(r, at(20)).per_class_recall_history).to.deep.equal([]);
  });

  it('accumulates the duration from event to event', () => {
    const r = runEpochs(3); // last epoch event at 7 s
    expect(r.training_duration_seconds).to.be.closeTo(7, 1e-9);
    expect(r.training_duration_formatted).to.equal('0:00:07');
    expect(r.updated_at).to.equal(isoWithOffset(at(7)));
  });

  it('completed: a test block that agrees with training/metrics, on the best epoch', () => {
    const r = applyEvent(runEpochs(4, 3), finished('completed', 3, 4), at(12));
    expect(r.status).to.equal('completed');
    expect(r.end_time).to.equal('2026-03-15T09:06:00.000+01:00');
    expect(r.training.early_stopped).to.equal(false);
    expect(r.training).to.include({ best_epoch: 3, final_test_loss: 0.7, final_test_acc: 55.5 });
    const cm = confusionMatrix(TEST_RESULT.yTrue, TEST_RESULT.yPred, 3);
    const m = perClassMetrics(cm, ['a', 'b', 'c']);
    expect(r.test).to.deep.equal({
      test_loss: 0.5,
      test_accuracy: TEST_RESULT.accuracy,
      evaluated_model: 'best',
      evaluated_epoch: 3,
      per_class_metrics: { per_class: m.per_class, macro: m.macro, weighted: m.weighted },
      confusion_matrix: cm,
    });
    expect(r.test?.test_accuracy).to.be.closeTo(m.accuracy, 1e-9);
    expect(validateRunRecord(r)).to.deep.equal(r);
  });

  it('early_stopped: completed with training.early_stopped', () => {
    const r = applyEvent(runEpochs(5, 2), finished('early_stopped', 2, 5), at(13));
    expect(r.status).to.equal('completed');
    expect(r.training.early_stopped).to.equal(true);
    expect(r.training.best_epoch).to.equal(2);
  });

  it('stopped: status stopped, the test still recorded', () => {
    const r = applyEvent(runEpochs(2), finished('stopped', 2, 2), at(6));
    expect(r.status).to.equal('stopped');
    expect(r.status_reason).to.equal('stopped after epoch 2');
    expect(r.test?.evaluated_epoch).to.equal(2);
  });

  it('stopped inside epoch 1: the test is on the weights at the end of the run, said so (not "best model, epoch 0")', () => {
    const r = applyEvent(applyEvent(createRunRecord(makeInit()), started(), at(1)), finished('stopped', 0, 0), at(2));
    expect(r.test).to.include({ evaluated_model: 'final', evaluated_epoch: 0 });
  });

  it('the trainer says which weights it tested: a resume without stored best weights tests the final ones', () => {
    const e = { ...finished('completed', 2, 4), testEpoch: 4, testWeights: 'final' as const };
    expect(applyEvent(runEpochs(4, 2), e, at(12)).test).to.include({ evaluated_model: 'final', evaluated_epoch: 4 });
    const best = { ...finished('completed', 4, 4), testWeights: 'best' as const };
    expect(applyEvent(runEpochs(4), best, at(12)).test).to.include({ evaluated_model: 'best', evaluated_epoch: 4 });
  });

  it('diverged and failed: status, reason, end time; the duration stops counting', () => {
    const base = runEpochs(2);
    const diverged = applyEvent(base, { type: 'failed', kind: 'diverged', epoch: 3, message: 'diverged at epoch 3: loss is NaN', endTime: isoWithOffset(at(8)) }, at(8));
    expect(diverged).to.include({ status: 'diverged', status_reason: 'diverged at epoch 3: loss is NaN', end_time: isoWithOffset(at(8)) });
    const failed = applyEvent(base, { type: 'failed', kind: 'error', epoch: 3, message: 'out of memory', endTime: isoWithOffset(at(8)) }, at(8));
    expect(failed).to.include({ status: 'failed', status_reason: 'out of memory' });
    expect(applyEvent(failed, started(), at(100)).training_duration_seconds).to.equal(failed.training_duration_seconds);
  });
});

describe('recorder: checkpoints', () => {
  it('refs latest always, best and periodic when the snapshot is one, all to its one stored copy', () => {
    const snap = makeSnapshot(4, { isBest: true, isPeriodic: true, weightBytes: 100 });
    const refs = snapshotRefs('mlp_x', snap);
    const bytes = 100 + JSON.stringify(snap.model.modelTopology).length;
    expect(refs).to.deep.equal([
      { kind: 'latest', epoch: 4, key: 'mlp_x/epoch_4', bytes, with_optimizer: true },
      { kind: 'best', epoch: 4, key: 'mlp_x/epoch_4', bytes, with_optimizer: true },
      { kind: 'periodic', epoch: 4, key: 'mlp_x/epoch_4', bytes, with_optimizer: true },
    ]);
    const r = withCheckpoints(withCheckpoints(runEpochs(1), refs), snapshotRefs('mlp_x', makeSnapshot(5)));
    expect(r.checkpoints.map((c) => `${c.kind}:${c.key}`)).to.deep.equal(['best:mlp_x/epoch_4', 'periodic:mlp_x/epoch_4', 'latest:mlp_x/epoch_5']);
    expect(unreferencedKeys(withCheckpoints(runEpochs(1), refs).checkpoints, r.checkpoints)).to.deep.equal([], 'epoch 4 is still best and periodic');
    const later = withCheckpoints(r, snapshotRefs('mlp_x', makeSnapshot(6, { isBest: true })));
    expect(unreferencedKeys(r.checkpoints, later.checkpoints)).to.deep.equal(['mlp_x/epoch_5']);
  });
});

describe('recorder: interrupted and resumed runs', () => {
  function interrupted(): LabRunRecord {
    const r = runEpochs(5); // last event at 11 s
    const refs = [3, 4, 5].flatMap((k) => snapshotRefs(r.run_id, makeSnapshot(k, { isPeriodic: k === 4 })));
    return markInterrupted(withCheckpoints(r, refs), at(3600));
  }

  it('markInterrupted: status, reason, end time = the last stored event, duration unchanged', () => {
    const r = interrupted();
    expect(r.status).to.equal('interrupted');
    expect(r.status_reason).to.match(/closed or crashed after epoch 5/);
    expect(r.end_time).to.equal(isoWithOffset(at(11)));
    expect(r.training_duration_seconds).to.be.closeTo(11, 1e-9);
  });

  it('resumeRecord: running again from the snapshot epoch, later epochs dropped, the gap not counted', () => {
    const r = resumeRecord(interrupted(), 3, at(7200));
    expect(r.status).to.equal('running');
    expect(r.status_reason).to.match(/^resumed .* from epoch 3 \(was interrupted: the tab/);
    expect(r.end_time).to.equal(null);
    expect(r.history.map((h) => h.epoch)).to.deep.equal([1, 2, 3]);
    expect(r.per_class_recall_history.map((c) => c.epoch)).to.deep.equal([1, 2, 3]);
    expect(r.training).to.include({ epochs_completed: 3, best_epoch: 0, final_val_acc: 52 });
    expect(r.checkpoints.map((c) => c.key)).to.deep.equal([`${r.run_id}/epoch_3`]);
    const next = applyEvent(applyEvent(r, started(), at(7201)), epochEvent(4), at(7203));
    expect(next.history.map((h) => h.epoch)).to.deep.equal([1, 2, 3, 4]);
    expect(next.training_duration_seconds).to.be.closeTo(11 + 3, 1e-9); // 11 s before, 3 s after
    expect(validateRunRecord(next)).to.deep.equal(next);
  });

  it('resumeRecord keeps a best epoch at or before the snapshot', () => {
    const r = resumeRecord(markInterrupted(runEpochs(5, 2), at(20)), 4, at(30));
    expect(r.training).to.include({ best_epoch: 2, best_val_loss: 0.5 });
  });
});

describe('recorder: formatDuration', () => {
  it('writes H:MM:SS like the reference, truncating to whole seconds', () => {
    expect(formatDuration(0)).to.equal('0:00:00');
    expect(formatDuration(513.35323)).to.equal('0:08:33');
    expect(formatDuration(838.465264)).to.equal('0:13:58');
    expect(formatDuration(945.279505)).to.equal('0:15:45');
    expect(formatDuration(90061)).to.equal('25:01:01');
  });

  it('rejects a negative or non-finite duration', () => {
    expect(() => formatDuration(-1)).to.throw(RangeError, 'invalid duration: -1');
    expect(() => formatDuration(Number.NaN)).to.throw(RangeError);
  });
});
