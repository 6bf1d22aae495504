// The run view's exports through their worker (src/app/run-exports.ts → run-export-worker.ts): the
// previews drawn there, a newer request cancelling an older one, and run.zip built there from the
// input's buffers transferred (the page keeps no copy), read back with JSZip.
import { expect } from '@esm-bundle/chai';
import JSZip from 'jszip';
import { buffersIn, RunExports } from '../../src/app/run-exports';
import { boundaryRun } from '../fixtures/boundary-run';
import { fixedRun, mnistLikeRun } from '../fixtures/export-fixtures';
import { savedMlp } from '../fixtures/export-models';
import { PNG_SIGNATURE } from '../fixtures/parse-png';

const CURVES_AND_MATRIX = ['training_curves', 'loss_curve', 'accuracy_curve', 'confusion_matrix', 'per_class_dynamics'];

describe('RunExports: figures and run.zip in the export worker', () => {
  it('draws one PNG preview per figure of the run, in order', async () => {
    const views = await new RunExports().figures(fixedRun().record);
    expect(views.map((v) => v.kind)).to.deep.equal(CURVES_AND_MATRIX);
    expect(views.map((v) => v.title)).to.deep.equal(['Training curves', 'Loss', 'Accuracy', 'Confusion matrix', 'Per-class recall per epoch']);
    for (const v of views) {
      const bytes = new Uint8Array(await (await fetch(v.url)).arrayBuffer());
      expect([...bytes.subarray(0, 8)], `${v.kind} is a PNG`).to.deep.equal([...PNG_SIGNATURE]);
    }
  });

  it("adds a 2-feature run's stored decision boundary as the last preview, and draws it as a single figure", async () => {
    const { record, boundary } = boundaryRun();
    const exports = new RunExports();
    const views = await exports.figures(record, boundary);
    expect(views.map((v) => v.kind).at(-1)).to.equal('decision_boundary');
    expect(views.at(-1)!.title).to.equal('Decision boundary');
    expect((await exports.figures(record)).map((v) => v.kind)).not.to.include('decision_boundary');
  });

  it('a newer preview request cancels the older one, which rejects with an AbortError', async () => {
    const exports = new RunExports();
    const older = exports.figures(mnistLikeRun().record).then(() => null, (e: Error) => e);
    const newer = await exports.figures(fixedRun().record);
    expect((await older)?.name).to.equal('AbortError');
    expect(newer.map((v) => v.kind)).to.deep.equal(CURVES_AND_MATRIX);
  });

  it('builds run.zip from the transferred input (the page keeps no copy) with the weights intact', async () => {
    const { record, predictions } = fixedRun();
    const model = await savedMlp([4], [16, 16], 3);
    const weights = new Uint8Array(model.weightData.slice(0));
    // The best model and the epoch-5 checkpoint are one object here: its buffer is transferred once.
    const input = { record, predictions, models: { best: model, checkpoints: [{ epoch: 5, model }] } };
    expect(buffersIn(input)).to.have.length(4); // the weights, yTrue, yPred, probabilities
    const progress: string[] = [];
    const { blob, name } = await new RunExports().zip(input, (text) => progress.push(text));
    expect(name).to.equal(`${record.run_id}.zip`);
    expect(model.weightData.byteLength, 'the weights were transferred, not copied').to.equal(0);
    expect(predictions!.probabilities.length, 'the predictions were transferred').to.equal(0);
    expect(progress.at(-1)).to.match(/^Building run\.zip… 100 % \(done\)$/);

    const zip = await JSZip.loadAsync(blob);
    for (const folder of ['best_model', 'checkpoint_epoch_5']) {
      const stored = await zip.file(`${record.run_id}/${folder}/weights.bin`)!.async('uint8array');
      expect(stored, `${folder}/weights.bin`).to.deep.equal(weights);
    }
    for (const kind of CURVES_AND_MATRIX) expect(zip.file(`${record.run_id}/${kind}.pdf`), `${kind}.pdf`).to.not.equal(null);
  });

  it('says why a run.zip cannot be built, with the exporter’s own error', async () => {
    const { record, predictions } = fixedRun();
    const wrong = { ...predictions!, yTrue: predictions!.yTrue.slice(1) }; // one label short
    const error = await new RunExports().zip({ record, predictions: wrong, models: { best: null, checkpoints: [] } }, () => {}).then(() => null, (e: Error) => e);
    expect(error?.name).to.equal('ExportError');
  });
});
