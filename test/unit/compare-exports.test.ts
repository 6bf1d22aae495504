// The comparison's exports: model_comparison.csv (against the reference script's real output, then
// format by format), group_comparison.csv, comparison_table.tex (compiled with pdflatex when it is
// installed), summary_statistics.json / SUMMARY.txt, and comparison.zip read back with JSZip.
// CSVs are read with the tests' own RFC 4180 reader, PNGs with the tests' own chunk reader.
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import JSZip from 'jszip';
import { groupComparisonCsv, modelComparisonCsv } from '../../src/compare/comparison-csv';
import { DEFAULT_LATEX_COLUMNS, groupsLatex, LATEX_COLUMNS, runsLatex, type LatexColumnKey } from '../../src/compare/comparison-latex';
import { comparisonSummary, comparisonSummaryTxt, summaryStatisticsJson, type TTestShown } from '../../src/compare/comparison-summary';
import { buildComparisonZip, comparisonFolder } from '../../src/compare/comparison-zip';
import { figureInput } from '../../src/compare/figure-input';
import { comparabilityWarnings, groupRuns, type GroupBy } from '../../src/compare/groups';
import { importFiles, type SourceFile } from '../../src/compare/import-runs';
import { welchTTest } from '../../src/compare/statistics';
import type { RunRecord } from '../../src/recorder/run-record';
import { compareRecord, imported, seedSweep } from '../fixtures/compare-records';
import { parseCsv } from '../fixtures/parse-csv';
import { PNG_SIGNATURE, readPng } from '../fixtures/parse-png';

const NOW = new Date(2026, 0, 2, 3, 4, 5); // local time: comparison_20260102_030405
const SHARED = '/__wds-outside-root__/1/shared/fixtures';
const REFERENCE_HEADER = ['Model', 'Run_Dir', 'Parameters', 'Test_Acc_%', 'Val_Acc_%', 'Best_Epoch', 'Training_Time', 'Finished', 'Batch_Size', 'Learning_Rate'];
const FIGURES = ['validation_curves', 'test_accuracy', 'size_vs_accuracy', 'per_class_f1', 'model_comparison'];

const opts = (columns: readonly LatexColumnKey[] = DEFAULT_LATEX_COLUMNS, precision = 2) => ({ columns, precision });
const close = (a: number | null | undefined, b: number, tol = 1e-9) => expect(a, `≈ ${b}`).to.be.a('number').and.closeTo(b, tol);

/** A CSV as a list of objects keyed by its header (read with the tests' own reader). */
function table(csv: string): { header: string[]; rows: Record<string, string>[] } {
  const [header, ...rows] = parseCsv(csv);
  for (const r of rows) expect(r, 'row width').to.have.length(header.length);
  return { header, rows: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

async function fetchText(url: string): Promise<string | null> {
  const res = await fetch(encodeURI(url));
  return res.ok ? res.text() : null;
}

const source = (path: string, blob: Blob): SourceFile => ({ name: path.slice(path.lastIndexOf('/') + 1), path, blob });

/** The files of run folders under `base`, as a folder pick of `root` gives them. */
async function folderPick(root: string, base: string, folders: Record<string, readonly string[]>): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const [folder, files] of Object.entries(folders)) {
    for (const f of files) {
      const res = await fetch(encodeURI(`${base}/${folder}/${f}`));
      if (!res.ok) throw new Error(`fixture missing: ${base}/${folder}/${f}`);
      out.push(source(`${root}/${folder}/${f}`, await res.blob()));
    }
  }
  return out;
}

interface Compiled { available: boolean; ok: boolean; log: string }
const PREAMBLE = '\\documentclass{article}\\usepackage[utf8]{inputenc}\\usepackage[T1]{fontenc}\\usepackage{booktabs}';
// \tracinglostchars=3 makes a character missing from the font an error instead of a silent gap.
const documentWith = (body: string) => `${PREAMBLE}\n\\tracinglostchars=3\n\\begin{document}\n${body}\n\\end{document}\n`;
const compile = (tex: string) => executeServerCommand<Compiled, { tex: string }>('pdflatex', { tex });

async function expectCompiles(ctx: Mocha.Context, tex: string): Promise<void> {
  const result = await compile(documentWith(tex));
  if (!result.available) {
    console.warn('SKIPPED: pdflatex is not installed on the test server (CI installs texlive-latex-recommended)');
    ctx.skip();
  }
  const errors = result.log.split('\n').flatMap((l, i, all) => (l.startsWith('!') ? all.slice(i, i + 3) : [])).join('\n');
  expect(result.ok, `pdflatex failed:\n${errors || result.log}\n--- source ---\n${tex}`).to.equal(true);
  expect(result.log).not.to.match(/Missing character/);
}

// ---------------------------------------------------------------------------------------------

describe('model_comparison.csv against the reference script’s real output', () => {
  const RUNS = {
    lstm_autoencoder_20251129_201505_beat_wise: ['results_summary.json', 'training_history.csv', 'training_history.json', 'per_class_metrics.csv', 'config.json', 'SUMMARY.txt'],
    simple_cnn_20251128_225939_beat_wise_stratified: ['results_summary.json', 'training_history.csv', 'training_history.json', 'per_class_metrics.csv', 'config.json', 'SUMMARY.txt'],
  } as const;
  let records: RunRecord[];
  let reference: string[][];

  before(async function () {
    const refCsv = await fetchText(`${SHARED}/reference-comparison/model_comparison.csv`);
    const probe = await fetch(`${SHARED}/reference-runs/simple_cnn_20251128_225939_beat_wise_stratified/results_summary.json`);
    if (refCsv === null || !probe.ok) {
      console.warn(`SKIPPED: the reference's runs or model_comparison.csv are not reachable under ${SHARED} (../shared/fixtures absent)`);
      this.skip();
    }
    reference = parseCsv(refCsv!.replace(/\r?\n/g, '\r\n'));
    const result = await importFiles(await folderPick('checkpoints', `${SHARED}/reference-runs`, RUNS), { now: NOW });
    expect(result.problems).to.deep.equal([]);
    records = result.records;
    expect(records.map((r) => r.run_id).sort()).to.deep.equal(Object.keys(RUNS).sort());
  });

  it("the header starts with the reference's header, and the first 10 cells of each row are the reference's row, text for text", () => {
    const [header, ...rows] = parseCsv(modelComparisonCsv(records));
    expect(reference[0]).to.deep.equal(REFERENCE_HEADER); // the fixture is what we think it is
    expect(header.slice(0, 10)).to.deep.equal(reference[0]);
    expect(rows).to.have.length(2);
    for (const row of rows) {
      const ref = reference.find((r) => r[1] === row[1]);
      expect(ref, `reference row for ${row[1]}`).to.not.equal(undefined);
      expect(row.slice(0, 10), row[1]).to.deep.equal(ref);
    }
    // Same order as the reference (by test accuracy, best first).
    const refOrder = reference.slice(1).map((r) => r[1]).filter((id) => id in RUNS);
    expect(rows.map((r) => r[1])).to.deep.equal(refOrder);
  });

  it("comparison_table.tex holds the reference's numbers (to 2 decimals) for these runs, and compiles where the reference's does not", async function () {
    const refTex = await fetchText(`${SHARED}/reference-comparison/comparison_table.tex`);
    if (refTex === null) this.skip();
    const tex = runsLatex(records, opts());
    const cells = (line: string) => line.replace(/\\\\\s*$/, '').split(' & ').map((c) => c.trim().replace(/^\\textbf\{(.*)\}$/, '$1').replace(/\\_/g, '_'));
    const ours = tex.split('\n').filter((l) => / & /.test(l)).slice(1).map(cells);
    const theirs = refTex!.split('\n').filter((l) => / & /.test(l)).slice(1).map(cells);
    expect(ours).to.have.length(2);
    for (const row of ours) {
      const ref = theirs.find((r) => r[0] === row[0] && r[1] === row[1]);
      expect(ref, row.join(' | ')).to.not.equal(undefined);
      expect(row[2]).to.equal(Number(ref![2]).toFixed(2));
      expect(row[3]).to.equal(Number(ref![3]).toFixed(2));
      expect(row[4]).to.equal(ref![4]);
    }
    await expectCompiles(this, tex);
  });
});

// ---------------------------------------------------------------------------------------------

describe('model_comparison.csv', () => {
  it("has the reference's 10 columns first, then ours, one row per run, CRLF records", () => {
    const runs = seedSweep();
    const csv = modelComparisonCsv(runs);
    const { header, rows } = table(csv);
    expect(header.slice(0, 10)).to.deep.equal(REFERENCE_HEADER);
    for (const h of ['run_name', 'seed', 'best_val_accuracy', 'test_accuracy', 'test_loss', 'macro_f1', 'weighted_f1', 'end_time', 'source']) expect(header, h).to.include(h);
    expect(rows).to.have.length(runs.length);
    expect(csv.endsWith('\r\n')).to.equal(true);
  });

  it('sorts by test accuracy, best first; runs without a test result last, in their given order', () => {
    const runs = [
      compareRecord({ id: 'a', testAcc: 80 }),
      compareRecord({ id: 'no_test_1', testAcc: null }),
      compareRecord({ id: 'b', testAcc: 91.25 }),
      compareRecord({ id: 'c', testAcc: 85 }),
      compareRecord({ id: 'no_test_2', testAcc: null }),
    ];
    expect(table(modelComparisonCsv(runs)).rows.map((r) => r.Run_Dir)).to.deep.equal(['b', 'c', 'a', 'no_test_1', 'no_test_2']);
  });

  it('Test_Acc_% and Val_Acc_% are rounded to 2 decimals as Python prints them (82.3, not 82.30); the extra columns keep full precision', () => {
    const r = compareRecord({ id: 'a', testAcc: 98.94752229206256, bestVal: 82.30000000000001 });
    const [row] = table(modelComparisonCsv([r])).rows;
    expect(row['Test_Acc_%']).to.equal('98.95');
    expect(row['Val_Acc_%']).to.equal('82.3');
    expect(row.test_accuracy).to.equal('98.94752229206256');
    expect(row.best_val_accuracy).to.equal('82.30000000000001');
    expect(Number(row.final_train_loss)).to.equal(r.training.final_train_loss); // round trip: full precision
    expect(Number(row.weighted_f1)).to.equal(r.test!.per_class_metrics!.weighted.f1);
    expect(row.Best_Epoch).to.equal(String(r.training.best_epoch));
    expect(row.Batch_Size).to.equal('64');
    expect(row.Learning_Rate).to.equal('0.001');
    expect(row.Parameters).to.equal(String(r.model_parameters));
  });

  it("rounds an exact tie as Python's round() does (657 of 800 correct = 82.125 % → 82.12)", () => {
    // Python: round(657 / 800 * 100, 2) == 82.12 (the binary value is exactly 82.125: round half to even).
    const r = compareRecord({ id: 'tie', testAcc: (657 / 800) * 100, bestVal: 82.125 });
    const [row] = table(modelComparisonCsv([r])).rows;
    expect(row['Test_Acc_%']).to.equal('82.12');
    expect(row['Val_Acc_%']).to.equal('82.12');
  });

  it("Finished is the run's local time as YYYY-MM-DD HH:MM:SS; the ISO time with its offset is kept in end_time", () => {
    const r = compareRecord({ id: 'a', endTime: '2026-11-26T19:20:00.123+01:00' });
    const [row] = table(modelComparisonCsv([r])).rows;
    expect(row.Finished).to.equal('2026-11-26 19:20:00');
    expect(row.end_time).to.equal('2026-11-26T19:20:00.123+01:00');
    const west = table(modelComparisonCsv([compareRecord({ id: 'b', endTime: '2026-11-26T23:59:59.999-08:00' })])).rows[0];
    expect(west.Finished).to.equal('2026-11-26 23:59:59'); // not converted to this machine's zone
  });

  it('missing values are empty cells, never 0', () => {
    const r = compareRecord({ id: 'imported_run', origin: imported('runs.zip', 'imported_run'), testAcc: null, params: null, formatted: '', duration: null, endTime: null, history: [], batch: null, lr: null });
    const [row] = table(modelComparisonCsv([r])).rows;
    for (const k of ['Parameters', 'Batch_Size', 'Learning_Rate', 'Test_Acc_%', 'Val_Acc_%', 'Best_Epoch', 'Training_Time', 'Finished', 'best_val_accuracy', 'final_train_acc', 'final_val_acc', 'final_train_loss', 'final_val_loss', 'test_accuracy', 'test_loss', 'macro_f1', 'weighted_f1', 'training_duration_seconds', 'end_time']) {
      expect(row[k], k).to.equal('');
    }
    expect(row.epochs_completed).to.equal('0'); // a real zero stays
  });

  it('a reference folder without a batch size (only training_history.csv) gives an empty Batch_Size, not 0', async () => {
    const folder = 'Ωmega_naïve_20250103_101500_数字';
    const files = await folderPick('runs', '/test/fixtures/reference-layout', { [folder]: ['training_history.csv'] });
    const result = await importFiles(files, { now: NOW });
    expect(result.problems).to.deep.equal([]);
    const [row] = table(modelComparisonCsv(result.records)).rows;
    expect(row.Run_Dir).to.equal(folder);
    expect(row.Parameters).to.equal('');
    expect(row['Test_Acc_%']).to.equal('');
    expect(row.Batch_Size).to.equal('');
  });

  it('guards text cells against formula injection and quotes commas and quotes (RFC 4180)', () => {
    const r = compareRecord({ id: 'mlp_20261126_192000', name: '=SUM(A1)', model: '@cmd|calc' });
    const q = compareRecord({ id: 'q', name: 'needs, "quotes"', testAcc: 10, datasetName: '+dataset' });
    const csv = modelComparisonCsv([r, q]);
    const { rows } = table(csv);
    expect(rows[0].run_name).to.equal("'=SUM(A1)");
    expect(rows[0].Model).to.equal("'@cmd|calc");
    expect(rows[1].run_name).to.equal('needs, "quotes"');
    expect(rows[1].dataset).to.equal("'+dataset");
    for (const cells of parseCsv(csv)) for (const c of cells) expect(c, c).not.to.match(/^[=+@]/);
    expect(csv).to.include('"needs, ""quotes"""');
  });
});

describe('group_comparison.csv', () => {
  it('one row per group: label, n, run ids, then mean / sample std (n − 1) / min / max of each metric, checked by hand', () => {
    const runs = seedSweep(); // lr 0.001: test acc 80, 82.5, 86; lr 0.01: 90, 91.25
    const { header, rows } = table(groupComparisonCsv(groupRuns(runs, { kind: 'all-but-seed' })));
    expect(header.slice(0, 7)).to.deep.equal(['group', 'n', 'runs', 'test_acc_mean', 'test_acc_std', 'test_acc_min', 'test_acc_max']);
    expect(rows.map((r) => [r.group, r.n, r.runs])).to.deep.equal([
      ['learning_rate = 0.001', '3', runs.slice(0, 3).map((r) => r.run_id).join(' ')],
      ['learning_rate = 0.01', '2', runs.slice(3).map((r) => r.run_id).join(' ')],
    ]);
    // By hand: mean 248.5 / 3 = 82.8333…; squared deviations (2.8333…)² + (0.3333…)² + (3.1666…)² = 18.1666…;
    // / (n − 1 = 2) = 9.08333…; √ = 3.0138568866708537 (the population std would be 2.4608…).
    close(Number(rows[0].test_acc_mean), 82.83333333333333, 1e-12);
    close(Number(rows[0].test_acc_std), 3.0138568866708537, 1e-12);
    expect([rows[0].test_acc_min, rows[0].test_acc_max]).to.deep.equal(['80', '86']);
    // (90, 91.25): mean 90.625, std = 1.25 / √2 = 0.8838834764831844.
    close(Number(rows[1].test_acc_mean), 90.625, 1e-12);
    close(Number(rows[1].test_acc_std), 0.8838834764831844, 1e-12);
    // test loss 0.21, 0.22, 0.23: std = 0.01 exactly in decimals.
    close(Number(rows[0].test_loss_std), 0.01, 1e-12);
  });

  it('a group of one run has an empty std; a metric no run has is empty, never 0', () => {
    const runs = [compareRecord({ id: 'a', lr: 0.1, testAcc: 80 }), compareRecord({ id: 'b', lr: 0.2, testAcc: null })];
    const { rows } = table(groupComparisonCsv(groupRuns(runs, { kind: 'all-but-seed' })));
    expect(rows[0].test_acc_mean).to.equal('80');
    expect(rows[0].test_acc_std).to.equal('');
    expect([rows[1].test_acc_mean, rows[1].test_acc_std, rows[1].test_acc_min, rows[1].test_acc_max, rows[1].macro_f1_mean]).to.deep.equal(['', '', '', '', '']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('comparison_table.tex', () => {
  it("defaults to the reference's five columns, caption and label, with booktabs rules", () => {
    expect(DEFAULT_LATEX_COLUMNS).to.deep.equal(['model', 'parameters', 'test_acc', 'best_val_acc', 'duration']);
    expect(DEFAULT_LATEX_COLUMNS.map((k) => LATEX_COLUMNS.find((c) => c.key === k)!.header)).to.deep.equal(['Model', 'Parameters', 'Test_Acc_%', 'Val_Acc_%', 'Training_Time']);
    const tex = runsLatex(seedSweep(), opts());
    const lines = tex.split('\n');
    expect(lines).to.include('\\caption{Model Performance Comparison}');
    expect(lines).to.include('\\label{tab:model_comparison}');
    expect(lines).to.include('\\begin{tabular}{lrrrr}');
    expect(lines).to.include('Model & Parameters & Test\\_Acc\\_\\% & Val\\_Acc\\_\\% & Training\\_Time \\\\');
    const rules = lines.filter((l) => /^\\(top|mid|bottom)rule$/.test(l));
    expect(rules).to.deep.equal(['\\toprule', '\\midrule', '\\bottomrule']);
    expect(tex).not.to.match(/^%/m); // nothing pdflatex cannot print
  });

  it('rows sorted by test accuracy, the best value in bold, numbers to the chosen precision', () => {
    const runs = seedSweep();
    const rows = (tex: string) => tex.split('\n').filter((l) => / & /.test(l)).slice(1);
    const two = rows(runsLatex(runs, opts()));
    expect(two.map((l) => l.split(' & ')[2])).to.deep.equal(['\\textbf{91.25}', '90.00', '86.00', '82.50', '80.00']);
    expect(two[0].split(' & ')[1]).to.equal(String(runs[0].model_parameters)); // integers without decimals
    expect(two[0].split(' & ')[4]).to.equal(`${runs[4].training_duration_formatted} \\\\`);
    const three = rows(runsLatex(runs, opts(['run_name', 'test_acc', 'test_loss'], 3)));
    expect(three[0]).to.equal('sweep run 5 & \\textbf{91.250} & 0.250 \\\\');
    expect(three[4]).to.equal('sweep run 1 & 80.000 & \\textbf{0.210} \\\\'); // lowest loss is best
  });

  it('groups print mean $\\pm$ std, a single run its mean alone, and the group as first column', () => {
    const runs = [...seedSweep(), compareRecord({ id: 'solo', lr: 0.5, testAcc: 50, history: 8 })];
    const tex = groupsLatex(groupRuns(runs, { kind: 'all-but-seed' }), opts());
    const lines = tex.split('\n').filter((l) => / & /.test(l));
    expect(lines[0]).to.equal('Group & Model & Parameters & Test\\_Acc\\_\\% & Val\\_Acc\\_\\% & Training\\_Time \\\\');
    const body = lines.slice(1);
    expect(body).to.have.length(3);
    expect(body[0]).to.match(/^learning\\_rate = 0\.01 \(n = 2\) & mlp & \d+ & \\textbf\{\\boldmath 90\.6[23] \$\\pm\$ 0\.88\} & /);
    expect(body[1]).to.match(/^learning\\_rate = 0\.001 \(n = 3\) & mlp & \d+ & 82\.83 \$\\pm\$ 3\.01 & /);
    expect(body[2]).to.match(/^learning\\_rate = 0\.5 \(n = 1\) & mlp & \d+ & 50\.00 & /);
    expect(body[2]).not.to.include('\\pm');
  });

  it('names with _ % & # { } ~ ^ \\ , accents and Greek letters compile with pdflatex (runs and groups)', async function () {
    const runs = [
      compareRecord({ id: 'a', model: 'cnn_a&b%#{x}~^\\', name: 'Ærø naïve Œuvre – café_1', testAcc: 90, seed: 1 }),
      compareRecord({ id: 'b', model: 'cnn_a&b%#{x}~^\\', name: 'Ωmega-β σ_2 ñ', testAcc: 85, seed: 2 }),
      compareRecord({ id: 'c', model: 'Ελληνικά', name: '[bracket] *star', testAcc: 70, lr: 0.3 }),
      compareRecord({ id: 'd', model: '[ablation] *cnn', name: '*starred', testAcc: 60, lr: 0.4 }), // a row starting with [ or *
    ];
    const columns: LatexColumnKey[] = ['model', 'run_name', ...DEFAULT_LATEX_COLUMNS.slice(1), 'test_loss', 'seed', 'dataset'];
    const runsTex = runsLatex(runs, opts(columns));
    const groupsTex = groupsLatex(groupRuns(runs, { kind: 'all-but-seed' }), opts(columns));
    for (const tex of [runsTex, groupsTex]) {
      expect(tex).not.to.match(/^%/m); // all of it is printable by pdflatex
      expect(tex).to.include('cnn\\_a\\&b\\%\\#\\{x\\}\\textasciitilde{}\\textasciicircum{}\\textbackslash{}');
    }
    expect(runsTex).to.include('Ærø naïve Œuvre');
    expect(runsTex).to.include('$\\Omega$mega-$\\beta$ $\\sigma$\\_2 ñ');
    await expectCompiles(this, `${runsTex}\n${groupsTex}`);
  });

  it('a Greek name with an omicron after another letter (μοντέλο) compiles with pdflatex', async function () {
    const runs = [compareRecord({ id: 'a', model: 'μοντέλο', testAcc: 90 }), compareRecord({ id: 'b', model: 'λόγος', testAcc: 80 })];
    const tex = runsLatex(runs, opts());
    expect(tex).not.to.match(/^%/m);
    await expectCompiles(this, tex);
  });

  it('a run name in a script pdflatex cannot print (CJK) gets the XeLaTeX / LuaLaTeX comment', () => {
    const runs = [compareRecord({ id: 'a', name: '数字 识别', testAcc: 90 }), compareRecord({ id: 'b', testAcc: 80 })];
    const tex = runsLatex(runs, opts(['run_name', 'test_acc']));
    const first = tex.split('\n')[0];
    expect(first.startsWith('%')).to.equal(true);
    expect(tex.split('\n').filter((l) => l.startsWith('%')).join(' ')).to.match(/XeLaTeX/).and.match(/LuaLaTeX/).and.match(/Han/);
    expect(tex).to.include('数字 识别');
    // With the default columns the name is not printed: no comment needed.
    expect(runsLatex(runs, opts())).not.to.match(/^%/m);
  });
});

// ---------------------------------------------------------------------------------------------

describe('summary_statistics.json and SUMMARY.txt', () => {
  // Seven runs: the sweep (80, 82.5, 86 | 90, 91.25), a large model (70 %) and a tiny one without a test.
  const build = () => {
    const runs = [
      ...seedSweep(),
      compareRecord({ id: 'huge_20261126_200000', model: 'huge', lr: 0.7, testAcc: 70, params: 10_000_000, history: 8 }),
      compareRecord({ id: 'tiny_20261126_200100', model: 'tiny', lr: 0.5, testAcc: null, params: 99, origin: imported('tiny.zip'), history: 8 }),
    ];
    const by: GroupBy = { kind: 'all-but-seed' };
    const groups = groupRuns(runs, by);
    const values = (i: number) => groups[i].runs.map((r) => r.test!.test_accuracy);
    const tTest: TTestShown = { metric: 'test_acc', groupA: groups[0].label, groupB: groups[1].label, result: welchTTest(values(0), values(1)) };
    return { runs, by, groups, tTest };
  };

  it("gives the reference's statistics: runs compared, best test accuracy and its run, average, smallest and largest model", () => {
    const { runs, by, groups, tTest } = build();
    const s = comparisonSummary(runs, groups, by, tTest, comparabilityWarnings(runs));
    expect(s.runs_compared).to.equal(7);
    expect(s.runs_with_test_results).to.equal(6);
    expect(s.best_test_accuracy).to.deep.equal({ value: 91.25, run_id: runs[4].run_id, run_name: 'sweep run 5', model_name: 'mlp' });
    close(s.average_test_accuracy, (80 + 82.5 + 86 + 90 + 91.25 + 70) / 6);
    expect(s.smallest_model).to.deep.equal({ parameters: 99, run_id: 'tiny_20261126_200100', model_name: 'tiny' });
    expect(s.largest_model).to.deep.equal({ parameters: 10_000_000, run_id: 'huge_20261126_200000', model_name: 'huge' });
    expect(s.grouped_by).to.equal('everything but the seed');
    expect(s.warnings).to.deep.equal([]);
  });

  it("per-group statistics and Welch's t-test as SciPy computes them", () => {
    const { runs, by, groups, tTest } = build();
    const s = comparisonSummary(runs, groups, by, tTest, []);
    expect(s.groups.map((g) => [g.label, g.n])).to.deep.equal(groups.map((g) => [g.label, g.runs.length]));
    expect(s.groups[0].run_ids).to.deep.equal(runs.slice(0, 3).map((r) => r.run_id));
    close(s.groups[0].statistics.test_acc!.std, 3.0138568866708537, 1e-12);
    // scipy.stats.ttest_ind([80, 82.5, 86], [90, 91.25], equal_var=False)
    const t = s.t_test!;
    expect([t.metric, t.group_a, t.group_b, t.n_a, t.n_b]).to.deep.equal(['test_acc', groups[0].label, groups[1].label, 3, 2]);
    expect(groups.map((g) => g.label)).to.deep.equal(['model = mlp, learning_rate = 0.001', 'model = mlp, learning_rate = 0.01', 'model = huge, learning_rate = 0.7', 'model = tiny, learning_rate = 0.5']);
    close(t.t, -4.214234988264522, 1e-9);
    close(t.df, 2.4672128487272125, 1e-9);
    close(t.p_value, 0.03556687906684124, 1e-9);
    close(t.mean_a, 82.83333333333333, 1e-12);
    close(t.mean_b, 90.625, 1e-12);
  });

  it('summary_statistics.json parses back to the summary', () => {
    const { runs, by, groups, tTest } = build();
    const s = comparisonSummary(runs, groups, by, tTest, ['a warning']);
    expect(JSON.parse(summaryStatisticsJson(s))).to.deep.equal(s);
  });

  it('ungrouped: no group statistics, no t-test', () => {
    const { runs } = build();
    const s = comparisonSummary(runs, groupRuns(runs, { kind: 'none' }), { kind: 'none' }, null, []);
    expect(s.groups).to.deep.equal([]);
    expect(s.t_test).to.equal(null);
    const txt = comparisonSummaryTxt(s, '2026-01-02T03:04:05.000+01:00');
    expect(txt).not.to.match(/GROUPS|T-TEST/);
    expect(txt).to.include('Runs compared: 7');
  });

  it('SUMMARY.txt says each of them', () => {
    const { runs, by, groups, tTest } = build();
    const s = comparisonSummary(runs, groups, by, tTest, ['The runs were trained on different data (dataset SHA-256 x).']);
    const txt = comparisonSummaryTxt(s, '2026-01-02T03:04:05.000+01:00');
    expect(txt).to.include('Runs compared: 7 (6 with test results)');
    expect(txt).to.match(/Best test accuracy: 91\.25%.*mlp_20261126_191500/);
    expect(txt).to.include(`Average test accuracy: ${((80 + 82.5 + 86 + 90 + 91.25 + 70) / 6).toFixed(2)}%`);
    expect(txt).to.match(/Smallest model: 99 parameters .*tiny_20261126_200100/);
    expect(txt).to.match(/Largest model: 10,000,000 parameters .*huge_20261126_200000/);
    for (const g of groups) expect(txt).to.include(g.label);
    expect(txt).to.include('82.83 ± 3.01');
    expect(txt).to.match(/WELCH'S T-TEST/);
    expect(txt).to.include('t = -4.2142, df = 2.47, p = 0.03557');
    expect(txt).to.include('different data');
    expect(txt).to.include('Created: 2026-01-02T03:04:05.000+01:00');
  });
});

// ---------------------------------------------------------------------------------------------

describe('comparison.zip', () => {
  const threeRuns = () => [
    compareRecord({ id: 'mlp_20261126_191100', name: 'seed 1', seed: 1, testAcc: 80, history: 6, historySeed: 3 }),
    compareRecord({ id: 'mlp_20261126_191200', name: 'seed 2', seed: 2, testAcc: 84, history: 4, historySeed: 4, planned: 6 }),
    compareRecord({ id: 'mlp_20261126_191300', name: 'other lr', lr: 0.01, testAcc: 88, history: 6, historySeed: 5, origin: imported('other.zip', 'mlp_20261126_191300') }),
  ];

  async function build(grouped: boolean) {
    const records = threeRuns();
    const by: GroupBy = grouped ? { kind: 'all-but-seed' } : { kind: 'none' };
    const groups = groupRuns(records, by);
    const summary = comparisonSummary(records, groups, by, null, comparabilityWarnings(records));
    const latex = grouped ? groupsLatex(groups, opts()) : runsLatex(records, opts());
    const figures = figureInput(records, groups, { grouped, showTrain: false, smoothing: 0 });
    const blob = await buildComparisonZip({ records, groups: grouped ? groups : null, latex, summary, figures, now: NOW });
    const zip = await JSZip.loadAsync(new Uint8Array(await blob.arrayBuffer()));
    const files = Object.values(zip.files).filter((f) => !f.dir).map((f) => f.name);
    return { records, groups, summary, latex, zip, files };
  }

  const root = 'comparison_20260102_030405';
  const expected = (grouped: boolean) => [
    'model_comparison.csv', ...(grouped ? ['group_comparison.csv'] : []), 'comparison_table.tex', 'summary_statistics.json', 'SUMMARY.txt', 'README.txt',
    ...FIGURES.flatMap((f) => [`${f}.png`, `${f}.pdf`]),
  ];

  it('comparisonFolder is comparison_YYYYMMDD_HHMMSS in local time', () => {
    expect(comparisonFolder(NOW)).to.equal(root);
    expect(comparisonFolder(new Date(2025, 10, 9, 23, 0, 59))).to.equal('comparison_20251109_230059');
  });

  for (const grouped of [false, true]) {
    it(`${grouped ? 'grouped' : 'not grouped'}: every file under ${root}/, tables, statistics, README and 10 figures as PNG (300 DPI) and PDF`, async () => {
      const { records, groups, summary, latex, zip, files } = await build(grouped);
      for (const f of files) expect(f.startsWith(`${root}/`), f).to.equal(true);
      expect(files.map((f) => f.slice(root.length + 1)).sort()).to.deep.equal(expected(grouped).sort());
      const text = (name: string) => zip.file(`${root}/${name}`)!.async('string');

      const csv = table(await text('model_comparison.csv'));
      expect(csv.header.slice(0, 10)).to.deep.equal(REFERENCE_HEADER);
      expect(csv.rows.map((r) => r.Run_Dir)).to.deep.equal(['mlp_20261126_191300', 'mlp_20261126_191200', 'mlp_20261126_191100']);
      expect(csv.rows.map((r) => r['Test_Acc_%'])).to.deep.equal(['88', '84', '80']);
      expect(csv.rows[0].source).to.equal('other.zip › mlp_20261126_191300');

      if (grouped) {
        const g = table(await text('group_comparison.csv'));
        expect(g.rows.map((r) => [r.group, r.n])).to.deep.equal(groups.map((x) => [x.label, String(x.runs.length)]));
        close(Number(g.rows[0].test_acc_mean), 82, 1e-12);
        close(Number(g.rows[0].test_acc_std), Math.sqrt(8), 1e-12); // (80, 84): ((−2)² + 2²) / 1 = 8
      }

      expect(await text('comparison_table.tex')).to.equal(latex);
      if (grouped) expect(latex).to.include('$\\pm$');
      expect(JSON.parse(await text('summary_statistics.json'))).to.deep.equal(summary);
      const txt = await text('SUMMARY.txt');
      expect(txt).to.include('Runs compared: 3 (3 with test results)');
      expect(txt).to.match(/Best test accuracy: 88\.00%/);

      const readme = await text('README.txt');
      for (const name of expected(grouped)) expect(readme, name).to.include(name);
      for (const r of records) expect(readme).to.include(r.run_id);
      expect(readme).to.include('other.zip');

      for (const fig of FIGURES) {
        const png = await zip.file(`${root}/${fig}.png`)!.async('uint8array');
        expect([...png.subarray(0, 8)], `${fig}.png signature`).to.deep.equal(PNG_SIGNATURE);
        const { chunks, crcOk } = readPng(png);
        expect(crcOk.every(Boolean), `${fig}.png CRCs`).to.equal(true);
        const phys = chunks.find((c) => c.type === 'pHYs');
        expect(phys, `${fig}.png pHYs`).to.not.equal(undefined);
        const v = new DataView(phys!.data.buffer, phys!.data.byteOffset, phys!.data.byteLength);
        expect([v.getUint32(0), v.getUint32(4), v.getUint8(8)], `${fig}.png 300 DPI`).to.deep.equal([11811, 11811, 1]);
        expect(chunks.findIndex((c) => c.type === 'pHYs')).to.be.lessThan(chunks.findIndex((c) => c.type === 'IDAT'));
        const pdf = await zip.file(`${root}/${fig}.pdf`)!.async('uint8array');
        expect(new TextDecoder('latin1').decode(pdf.subarray(0, 5)), `${fig}.pdf`).to.equal('%PDF-');
        expect(new TextDecoder('latin1').decode(pdf.subarray(-1024))).to.include('%%EOF');
      }
    });
  }
});
