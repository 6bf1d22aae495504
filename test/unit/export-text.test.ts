import { expect } from '@esm-bundle/chai';
import { perClassMetricsCsv, testPredictionsCsv } from '../../src/export/csv-files';
import { planRunFiles } from '../../src/export/run-files';
import { summaryTxt } from '../../src/export/summary-txt';
import { displayWidth } from '../../src/export/text-format';
import { emptyRun, fixedRun, mnistLikeRun, stoppedRun, unicodeRun } from '../fixtures/export-fixtures';
import { parseCsv } from '../fixtures/parse-csv';
import { goldenFiles } from '../fixtures/golden/goldens';

// Goldens live in test/fixtures/golden/; after a deliberate format change rewrite them with
// `node test/fixtures/golden/update.mjs` and read the diff.
describe('text files match their goldens', () => {
  for (const [name, text] of Object.entries(goldenFiles())) {
    it(name, async () => {
      const res = await fetch(`/test/fixtures/golden/${name}`);
      expect(res.ok, `golden ${name} missing`).to.equal(true);
      const golden = await res.text();
      if (text !== golden) {
        const a = text.split('\n');
        const b = golden.split('\n');
        const i = a.findIndex((line, k) => line !== b[k]);
        expect(a[i], `first difference at line ${i + 1}`).to.equal(b[i]);
      }
      expect(text).to.equal(golden);
    });
  }
});

describe('text files, properties', () => {
  it('results_summary.json and config.json parse; config keeps the reference keys', () => {
    const g = goldenFiles();
    const summary = JSON.parse(g['fixed/results_summary.json']);
    expect(summary.start_time).to.match(/[+-]\d\d:\d\d$/);
    const config = JSON.parse(g['fixed/config.json']);
    for (const key of ['model', 'epochs', 'batch_size', 'lr', 'weight_decay', 'seed', 'train_ratio', 'val_ratio', 'test_ratio', 'save_freq', 'num_classes', 'url_query']) {
      expect(config, key).to.have.property(key);
    }
    const history = JSON.parse(g['fixed/training_history.json']);
    expect(Object.keys(history).slice(0, 5)).to.deep.equal(['train_loss', 'train_acc', 'val_loss', 'val_acc', 'learning_rate']);
  });

  it('SUMMARY.txt: at most 78 columns; per-class columns aligned even with wide (CJK) names', () => {
    const { record } = unicodeRun();
    const lines = summaryTxt(record, planRunFiles(record, { best: null, checkpoints: [] }, true)).split('\n');
    for (const line of lines) expect(displayWidth(line), line).to.be.at.most(78);
    const head = lines.findIndex((l) => /^Class\s+Precision\s+Recall\s+F1-Score\s+Support$/.test(l));
    expect(head).to.be.greaterThan(0);
    // Display column where each whitespace-separated cell ends.
    const ends = (line: string) => [...line.matchAll(/\S+/g)].map((m) => displayWidth(line.slice(0, m.index! + m[0].length)));
    const want = ends(lines[head]).slice(-4);
    const table = lines.slice(head + 2, lines.findIndex((l, i) => i > head && l.startsWith('Accuracy:')));
    const numeric = table.filter((l) => /\d\.\d{4}\s+\d\.\d{4}\s+\d\.\d{4}\s+[\d,]+$/.test(l));
    expect(numeric.length).to.equal(record.dataset.num_classes + 2); // classes, macro, weighted
    for (const row of numeric) expect(ends(row).slice(-4), row).to.deep.equal(want);
    // The long name wrapped onto a line of its own, within the name column.
    expect(table).to.include('  wrapping');
    for (const name of record.dataset.class_names.slice(0, 3)) expect(numeric.some((l) => l.startsWith(`${name} `))).to.equal(true);
  });

  it('SUMMARY.txt of a stopped run says what is missing and why', () => {
    const { record } = stoppedRun();
    const text = summaryTxt(record, planRunFiles(record, { best: {}, checkpoints: [{ epoch: 5 }] }, false)).replace(/\n +/g, ' ');
    expect(text).to.contain('Test results:');
    expect(text).to.contain('the run was stopped after epoch 7 of 20');
    expect(text).to.match(/NOT IN THIS FOLDER[\s\S]*per_class_metrics\.csv, test_predictions\.csv, confusion_matrix\.png\/\.pdf:/);
    expect(text).not.to.contain('PER-CLASS PERFORMANCE');
  });

  it('SUMMARY.txt of an interrupted run with no epoch: no figures, no model, and why', () => {
    const { record } = emptyRun();
    const plan = planRunFiles(record, { best: null, checkpoints: [] }, false);
    expect(plan.figures).to.deep.equal([]);
    const text = summaryTxt(record, plan).replace(/\n +/g, ' ');
    expect(text).to.contain('training_curves.png/.pdf, loss_curve.png/.pdf, accuracy_curve.png/.pdf: no epoch finished, so there is nothing to plot.');
    expect(text).to.contain('best_model/: no epoch finished, so no model was saved.');
    expect(text).to.contain('the run was interrupted before its first epoch finished (of 20) (page reloaded during epoch 1)');
    expect(text).to.contain('checkpoints are kept every 5 epochs and 0 finished');
  });
});

describe('metric consistency: per-class table, confusion matrix and predictions agree', () => {
  for (const [name, make] of [['fixed', fixedRun], ['mnist-like', mnistLikeRun]] as const) {
    it(name, () => {
      const { record, predictions } = make();
      const k = record.dataset.num_classes;
      const preds = parseCsv(testPredictionsCsv(record, predictions!)).slice(1);
      const cm = Array.from({ length: k }, () => new Array<number>(k).fill(0));
      for (const r of preds) cm[Number(r[1])][Number(r[2])]++;
      expect(cm).to.deep.equal(record.test!.confusion_matrix);

      const table = parseCsv(perClassMetricsCsv(record)!).slice(1);
      const colSum = (j: number) => cm.reduce((a, row) => a + row[j], 0);
      table.forEach((r, i) => {
        const support = cm[i].reduce((a, b) => a + b, 0);
        const p = colSum(i) ? cm[i][i] / colSum(i) : 0;
        const rc = support ? cm[i][i] / support : 0;
        expect(Number(r[1])).to.equal(i);
        expect(Number(r[5])).to.equal(support);
        expect(Number(r[2])).to.equal(p);
        expect(Number(r[3])).to.equal(rc);
        expect(Number(r[4])).to.be.closeTo(p + rc ? (2 * p * rc) / (p + rc) : 0, 1e-15);
      });
      const correct = cm.reduce((a, row, i) => a + row[i], 0);
      expect(record.test!.test_accuracy).to.be.closeTo((100 * correct) / preds.length, 1e-12);

      // SUMMARY.txt prints the same numbers, rounded to 4 places.
      const summary = summaryTxt(record, planRunFiles(record, { best: null, checkpoints: [] }, true));
      table.forEach((r) => {
        const name = r[0].replace(/^'/, '');
        const line = summary.split('\n').find((l) => l.startsWith(name + ' ') && /\d\.\d{4}/.test(l));
        expect(line, `SUMMARY row for ${name}`).to.be.a('string');
        const nums = line!.slice(name.length).trim().split(/\s+/);
        expect(nums.slice(0, 3)).to.deep.equal([r[2], r[3], r[4]].map((v) => Number(v).toFixed(4)));
      });
    });
  }
});
