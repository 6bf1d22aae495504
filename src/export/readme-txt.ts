// README.txt: what each file in the run folder is, how to load the model in TensorFlow.js and how
// to convert it for Keras.
import type { LabRunRecord } from '../recorder/run-record';
import { BEST_MODEL_FOLDER, checkpointFolder } from './model-files';
import { missingByReason, type FilePlan } from './run-files';
import { dataFilePairs, inputPreparation } from './data-file-text';
import { displayWidth, fieldLines, fixed, padEnd, wrapWords } from './text-format';

const quoted = (s: string): string => `"${s}"`;
const indented = (text: string): string[] => wrapWords(text, 74).map((l) => `  ${l}`);

/** Where the data came from (own data only) and the class weights (when used). */
function dataSections(record: LabRunRecord): string[] {
  const lines: string[] = [];
  const own = dataFilePairs(record);
  if (own.length > 0) {
    lines.push('', 'THE DATA');
    lines.push(...indented(`This run trained on ${record.dataset.data_file?.kind === 'images' ? 'an image set' : 'a table'} of your own, read and prepared as below. config.json data_file holds all of it, with every value fitted on the train split, so that new data can be prepared the same way.`));
    lines.push('', ...fieldLines(own, 74).map((l) => `  ${l}`));
  }
  const weights = record.config.class_weight_values;
  if (record.config.class_weights && weights) {
    const each = record.dataset.class_names.map((name, i) => `${name} ${fixed(weights[i], 4)}`).join(', ');
    lines.push('', 'CLASS WEIGHTS');
    lines.push(...indented(`The loss was weighted by class, "balanced" as the reference's class_weights: w_c = n / (k × n_c) from the train split's class counts, as PyTorch's CrossEntropyLoss(weight=w). Every loss reported (history, results) is weighted the same way. The weights (config.json class_weight_values, in class order): ${each}.`));
  }
  return lines;
}

export function readmeTxt(record: LabRunRecord, plan: FilePlan): string {
  const w = Math.min(30, Math.max(...plan.files.map((f) => displayWidth(f.path))) + 2);
  const indent = ' '.repeat(w + 2);
  const fileLines = plan.files.flatMap((f) => {
    const desc = wrapWords(f.what, 76 - w);
    const head = displayWidth(f.path) + 2 > w ? [`  ${f.path}`, indent + desc[0]] : [`  ${padEnd(f.path, w)}${desc[0]}`];
    return [...head, ...desc.slice(1).map((l) => indent + l)];
  });
  const model = plan.files.some((f) => f.path === `${BEST_MODEL_FOLDER}/model.json`)
    ? BEST_MODEL_FOLDER
    : plan.checkpointEpochs.length > 0 ? checkpointFolder(plan.checkpointEpochs[plan.checkpointEpochs.length - 1]) : null;
  const lines = [
    `${record.run_id}`,
    `${'='.repeat(displayWidth(record.run_id))}`,
    '',
    `A TrainLab run: ${record.model_name} trained on ${record.dataset.name}, ${record.status}.`,
    'Everything sits in this folder; SUMMARY.txt is the place to start.',
    ...dataSections(record),
    '',
    'FILES',
    ...fileLines,
  ];
  if (plan.missing.length > 0) {
    lines.push('', 'NOT IN THIS FOLDER');
    for (const m of missingByReason(plan)) lines.push(...wrapWords(m, 74).map((l, i) => (i === 0 ? `  ${l}` : `    ${l}`)));
  }
  lines.push(
    '',
    'UNITS AND CONVENTIONS',
    '  Accuracy is in percent (0-100); precision, recall and F1 are fractions (0-1),',
    '  as in the reference script. Class ids are 0-based indexes into',
    '  results_summary.json dataset.class_names (also per_class_metrics.csv).',
    '  Times are ISO 8601 with the UTC offset of the machine that trained.',
    '  CSV: RFC 4180, UTF-8, comma-separated, "." decimal, numbers in full precision.',
    "  A text cell starting with = + - or @ is prefixed with ' so that spreadsheets do",
    '  not run it as a formula. In JSON, non-finite numbers (a diverged loss) are null;',
    '  the CSV files write them as NaN / Infinity.',
    '  Figures: PNG at 300 DPI and vector PDF (DejaVu Sans embedded), drawn by the',
    '  same code, so the two always agree.',
  );
  if (model) {
    lines.push(
      '',
      'LOADING THE MODEL',
      `  ${model}/ is a TensorFlow.js LayersModel (model.json + weights.bin). Serve the`,
      '  folder over http and, in the browser or Node with @tensorflow/tfjs:',
      '',
      `    const model = await tf.loadLayersModel('http://localhost:8000/${model}/model.json');`,
      '    const probs = model.predict(x); // x shaped like the input: [n, ...input_shape]',
      '',
      `  Input shape: [n, ${record.dataset.input_shape.join(', ')}]. Inputs must be preprocessed as in training`,
      ...indented(`(${inputPreparation(record)}).`),
      '',
      '  For Keras (Python): pip install tensorflowjs, then',
      '',
      `    tensorflowjs_converter --input_format=tfjs_layers_model \\`,
      `        --output_format=keras ${model}/model.json ${record.run_id}.h5`,
      '',
      `  and in Python: tf.keras.models.load_model('${record.run_id}.h5').`,
    );
  }
  lines.push('', 'REPRODUCING THE RUN', `  Open TrainLab with the query in config.json url_query${record.config.url_query ? `: ?${record.config.url_query.replace(/^\?/, '')}` : '.'}`);
  const file = record.dataset.data_file;
  if (file) lines.push(...indented(`The data is not in this folder: TrainLab finds ${quoted(file.name)} again by its SHA-256 among the data kept in this browser, or asks for it. SHA-256: ${file.sha256}`));
  return lines.join('\n') + '\n';
}
