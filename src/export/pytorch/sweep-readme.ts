// The sweep export's README.md: what the sweep varied, its runs (index, swept values, seed, what the
// browser run reached), how to run them all or one (python run_sweep.py [--index i]), a SLURM array
// job, and the shared data. train.py's own options and caveats are those of a single run's export.
import type { LabRunRecord } from '../../recorder/run-record';
import type { SweepRecord } from '../../recorder/sweep-record';
import { percent } from '../text-format';
import type { ExportData } from './data-files';
import { dataSection, REQUIRED_PYTORCH, TESTED_PYTORCH } from './readme';

/** One run as the sweep's export lists it. */
export interface SweepExportRun {
  record: LabRunRecord;
  config: string; // its configs/{run_id}.json
  values: Record<string, string>;
  seed: number;
  initialWeights: boolean;
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

export function sweepReadmeMd(sweep: SweepRecord, runs: readonly SweepExportRun[], data: ExportData): string {
  const keys = sweep.swept_keys;
  const last = runs.length - 1;
  const header = ['index', 'run', ...keys, 'seed', 'browser test accuracy'];
  const rows = runs.map((r, i) => [String(i), `\`${r.record.run_id}\``, ...keys.map((k) => cell(r.values[k] ?? '')), String(r.seed), percent(r.record.test?.test_accuracy)]);
  const left = sweep.runs.length - runs.length;
  const noInitial = runs.filter((r) => !r.initialWeights).map((r) => r.record.run_id);
  return [
    `# ${sweep.name} (${sweep.sweep_id}) in PyTorch`,
    '',
    `TrainLab sweep \`${sweep.sweep_id}\` (${sweep.definition.mode}${keys.length ? `, varying ${keys.join(', ')}` : ''}; ${sweep.definition.repeats} seed${sweep.definition.repeats === 1 ? '' : 's'} per configuration) ` +
      `exported as plain PyTorch: ${runs.length} run${runs.length === 1 ? '' : 's'}, each a \`train.py\` configuration.` +
      (left > 0 ? ` The sweep planned ${sweep.runs.length}; the ${left} that did not end with their results stored are left out.` : ''),
    '',
    ['| ' + header.join(' | ') + ' |', '|' + header.map(() => ' --- ').join('|') + '|', ...rows.map((r) => '| ' + r.join(' | ') + ' |')].join('\n'),
    '',
    '## Run it',
    '',
    '```sh',
    'python run_sweep.py                   # every configuration, one after another',
    'python run_sweep.py --index 1         # configuration 1 only (0-based, as in the table and sweep.json)',
    'python run_sweep.py --list            # the configurations',
    'python run_sweep.py --device cuda --quiet   # other options go to train.py (python train.py --help)',
    `python train.py --config ${runs[0]?.config ?? 'configs/RUN.json'}   # one configuration by hand`,
    '```',
    '',
    'Each run writes its folder under `runs/{run_id}/` (`--out DIR` for another place), in the layout of TrainLab\'s run.zip ' +
      '(`results_summary.json`, histories, predictions, figures, `best_model.pt`, `best_model/`). Load them all into TrainLab\'s **Compare** ' +
      '(Add folder on `runs/`) to see the sweep beside the browser\'s. A failed run does not stop the others; the exit status is then 1.',
    '',
    '### As an array job (SLURM)',
    '',
    'One configuration per array index, all at once on a cluster:',
    '',
    '```sh',
    '#!/bin/bash',
    `#SBATCH --job-name=${sweep.sweep_id}`,
    `#SBATCH --array=0-${last}`,
    '#SBATCH --gres=gpu:1',
    '#SBATCH --cpus-per-task=4',
    '#SBATCH --time=01:00:00',
    '#SBATCH --output=logs/%x_%a.out',
    'python run_sweep.py --index "$SLURM_ARRAY_TASK_ID"',
    '```',
    '',
    `Submit it with \`mkdir -p logs && sbatch sweep.sbatch\` (\`--array=0-${last}%2\` runs at most 2 at a time). Other schedulers work alike: ` +
      'PBS / Torque `--index "$PBS_ARRAYID"`, LSF `--index "$((LSB_JOBINDEX - 1))"`, SGE `--index "$((SGE_TASK_ID - 1))"`.',
    '',
    '## Requirements',
    '',
    `- PyTorch ≥ ${REQUIRED_PYTORCH} and NumPy; matplotlib for the figures (optional). Tested with PyTorch ${TESTED_PYTORCH}.`,
    '',
    ...dataSection(runs[0].record, data),
    '## Files',
    '',
    '- `train.py`: the script, the same as a single run\'s export (its README there says what is the same as in the browser and what cannot be).',
    '- `run_sweep.py`: runs the configurations listed in `sweep.json`.',
    '- `sweep.json`: the sweep (its definition, swept keys) and its runs: `run_id`, configuration file, swept values and seed.',
    '- `configs/{run_id}.json`: each run\'s `train.py` configuration (its paths relative to itself).',
    '- `initial_models/{run_id}/`: each browser run\'s weights before its first step (tfjs LayersModel layout).' +
      (noInitial.length ? ` ${noInitial.join(', ')} kept no initial weights: train.py draws them with the lab's initialisers.` : ''),
    '- `data/`: the split, shared by all runs.',
    '',
  ].join('\n');
}
