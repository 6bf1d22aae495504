import { expect } from '@esm-bundle/chai';
import { testedWeightsNote, testedWeightsOf } from '../../src/app/tested-weights';
import { applyEvent, createRunRecord } from '../../src/recorder/recorder';
import { at, finished, makeInit, runEpochs, started } from '../helpers/run-fixtures';

describe('which weights were tested, in words', () => {
  it('a run stopped inside epoch 1: the weights at the end of the run, never "best (epoch 0)"', () => {
    const r = applyEvent(applyEvent(createRunRecord(makeInit()), started(), at(1)), finished('stopped', 0, 0), at(2));
    const note = testedWeightsNote(testedWeightsOf(r));
    expect(note).to.equal('Evaluated with the weights at the end of the run (stopped before epoch 1 finished).');
    expect(note).not.to.match(/best|epoch 0\)/);
  });

  it('the best epoch, with how it was chosen, and the last weights\' score when they differ', () => {
    const r = applyEvent(runEpochs(4, 2), finished('completed', 2, 4), at(12));
    expect(testedWeightsNote(testedWeightsOf(r))).to.equal(
      "Evaluated with the best epoch's weights (epoch 2, by lowest validation loss). The last weights (epoch 4) score 55.50 % on the test set.",
    );
    const atLast = applyEvent(runEpochs(4), finished('completed', 4, 4), at(12));
    expect(testedWeightsNote(testedWeightsOf(atLast))).to.equal("Evaluated with the best epoch's weights (epoch 4, by lowest validation loss).");
  });

  it('a resume without stored best weights tested the final ones: the note says so', () => {
    const r = applyEvent(runEpochs(4, 2), { ...finished('completed', 2, 4), testEpoch: 4, testWeights: 'final' }, at(12));
    expect(testedWeightsNote(testedWeightsOf(r))).to.equal('Evaluated with the weights at the end of the run (epoch 4).');
  });

  it('no test, or a record that does not say: no note', () => {
    expect(testedWeightsNote(testedWeightsOf(runEpochs(2)))).to.equal('');
  });
});
