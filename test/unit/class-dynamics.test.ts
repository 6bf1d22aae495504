// Learning dynamics (issue 12): the heatmap's rows and columns, per_class_dynamics.csv, the figure
// (300-DPI PNG, vector PDF) and their place in the run folder's plan and run.zip.
import { expect } from '@esm-bundle/chai';
import JSZip from 'jszip';
import { cellText, dynamicsView, leftOutText } from '../../src/export/class-dynamics';
import { perClassDynamicsCsv } from '../../src/export/csv-files';
import { classDynamicsFigure } from '../../src/export/figures/class-dynamics';
import { loadFontSet } from '../../src/export/figures/fonts';
import { figureTexts, renderWith } from '../../src/export/figures/render';
import { buildRunZip } from '../../src/export/index';
import { planRunFiles } from '../../src/export/run-files';
import type { LabRunRecord } from '../../src/recorder/run-record';
import { fixedRun, manyClassRun } from '../fixtures/export-fixtures';
import { checkPdf, checkPng } from '../fixtures/figure-checks';
import { parseCsv } from '../fixtures/parse-csv';

const withRecall = (r: LabRunRecord, history: LabRunRecord['per_class_recall_history']): LabRunRecord => ({ ...r, per_class_recall_history: history });

describe('learning dynamics: the heatmap data', () => {
  it('orders the epochs, keeps class order, and leaves out the classes past the limit, saying so', () => {
    const v = dynamicsView(['a', 'b', 'c'], [{ epoch: 2, recall: [20, null, 40] }, { epoch: 1, recall: [10, null, 30] }], 2);
    expect(v.epochs).to.deep.equal([1, 2]);
    expect(v.classes).to.deep.equal([{ index: 0, name: 'a' }, { index: 1, name: 'b' }]);
    expect(v.recall).to.deep.equal([[10, 20], [null, null]]);
    expect(leftOutText(v)).to.equal('The first 2 of 3 classes are shown; classes 3–3 are left out (per_class_dynamics.csv has them all).');
    expect(leftOutText(dynamicsView(['a', 'b'], []))).to.equal('');
    expect(cellText(3, 'b', null)).to.equal('epoch 3 · class b: no validation rows');
    expect(cellText(3, 'a', 87.54)).to.equal('epoch 3 · class a: recall 87.5 %');
  });
});

describe('learning dynamics: per_class_dynamics.csv', () => {
  it('has the epoch, then one column per class name; an empty cell where a class had no validation rows', () => {
    const { record } = fixedRun();
    const r = withRecall(record, [{ epoch: 1, recall: [50, null, 12.5] }, { epoch: 2, recall: [75, null, 100] }]);
    const rows = parseCsv(perClassDynamicsCsv(r)!);
    expect(rows[0]).to.deep.equal(['epoch', ...record.dataset.class_names.map((n) => (n.startsWith('=') ? `'${n}` : n))]);
    expect(rows.slice(1)).to.deep.equal([['1', '50', '', '12.5'], ['2', '75', '', '100']]);
    expect(perClassDynamicsCsv(withRecall(record, []))).to.equal(null);
  });

  it('is planned with its figure when recorded, and said missing (with why) for a run recorded before', () => {
    const { record } = fixedRun();
    const plan = planRunFiles(record, { best: null, checkpoints: [] });
    expect(plan.files.map((f) => f.path)).to.include.members(['per_class_dynamics.csv', 'per_class_dynamics.png', 'per_class_dynamics.pdf']);
    expect(plan.figures).to.include('per_class_dynamics');
    const old = planRunFiles(withRecall(record, []), { best: null, checkpoints: [] });
    expect(old.figures).to.not.include('per_class_dynamics');
    expect(old.missing.filter((m) => m.path.startsWith('per_class_dynamics')).map((m) => m.why)).to.deep.equal([
      "the run was recorded before TrainLab kept each class's recall per epoch",
      "the run was recorded before TrainLab kept each class's recall per epoch",
    ]);
  });
});

describe('learning dynamics: the figure', () => {
  it('is a 300-DPI PNG and a one-page vector PDF naming the classes, the epochs and the scale', async () => {
    const { record } = fixedRun();
    const fonts = await loadFontSet(figureTexts(record));
    const figure = classDynamicsFigure(record, fonts);
    const png = new Uint8Array(await (await renderWith(figure, fonts, 'png', record.run_id)).arrayBuffer());
    const { width, height } = checkPng(png);
    expect(width).to.equal(Math.round((figure.width / 72) * 300));
    expect(height).to.equal(Math.round((figure.height / 72) * 300));
    const { texts } = await checkPdf(await renderWith(figure, fonts, 'pdf', record.run_id));
    const text = texts.join(' ');
    for (const s of ['per-class recall per epoch', 'Epoch', 'Class', 'Validation recall (%)', 'naïve', 'needs, "quotes"']) expect(text).to.include(s);
  });

  it('draws at most 50 classes and says which were left out; refuses a run without recall', async () => {
    const { record } = manyClassRun(60);
    const fonts = await loadFontSet(figureTexts(record));
    const { texts } = await checkPdf(await renderWith(classDynamicsFigure(record, fonts), fonts, 'pdf', record.run_id));
    const text = texts.join(' ');
    expect(text).to.include('classes 51–60 are left out');
    expect(text).to.include('class_49');
    expect(text).to.not.include('class_50');
    expect(() => classDynamicsFigure(withRecall(record, []), fonts)).to.throw('no per-class recall was recorded');
  });

  it('run.zip holds per_class_dynamics.csv, .png and .pdf', async () => {
    const { record, predictions } = fixedRun();
    const zip = await JSZip.loadAsync(await buildRunZip({ record, predictions, models: { best: null, checkpoints: [] } }));
    const root = record.run_id;
    for (const f of ['csv', 'png', 'pdf']) expect(zip.file(`${root}/per_class_dynamics.${f}`), f).to.not.equal(null);
    expect(await zip.file(`${root}/per_class_dynamics.csv`)!.async('string')).to.equal(perClassDynamicsCsv(record));
  });
});
