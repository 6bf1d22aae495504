#!/usr/bin/env python3
"""Runs the configurations of an exported TrainLab sweep with train.py.

python run_sweep.py                  every configuration, one after another
python run_sweep.py --index 3        configuration 3 only (0-based), e.g. --index $SLURM_ARRAY_TASK_ID
python run_sweep.py --list           what the configurations are

Each run writes its folder under runs/{run_id}/ (--out DIR for another place). Other options
(--device, --epochs, --spawn, --quiet, ...) go to train.py unchanged. The exit status is 1 when a
run failed (the others still run), 2 for a bad index.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description='Run the configurations of an exported TrainLab sweep with train.py.',
                                epilog='Options not listed here go to train.py (python train.py --help).')
    p.add_argument('--index', type=int, default=None, metavar='I',
                   help='run configuration I only (0-based, as in sweep.json; a cluster array job passes its task index)')
    p.add_argument('--out', default='runs', help='where the run folders are written, one folder per configuration (default: runs/)')
    p.add_argument('--list', action='store_true', help='list the configurations and exit')
    return p.parse_known_args(argv)


def describe(run):
    values = ', '.join(f'{k}={v}' for k, v in run['values'].items())
    return f"{run['run_id']} ({values + ', ' if values else ''}seed {run['seed']})"


def main(argv=None):
    args, rest = parse_args(argv)
    with open(os.path.join(HERE, 'sweep.json'), encoding='utf-8') as f:
        sweep = json.load(f)
    runs = sweep['runs']
    if args.list:
        for i, run in enumerate(runs):
            print(f'{i}: {describe(run)}')
        return 0
    if args.index is not None:
        if not 0 <= args.index < len(runs):
            print(f'run_sweep.py: --index {args.index} is out of range: this sweep has configurations 0 to {len(runs) - 1}', file=sys.stderr)
            return 2
        chosen = [(args.index, runs[args.index])]
    else:
        chosen = list(enumerate(runs))
    failed = []
    for n, (i, run) in enumerate(chosen, 1):
        print(f"[{n}/{len(chosen)}] {sweep['sweep_id']} configuration {i}: {describe(run)}", flush=True)
        command = [sys.executable, os.path.join(HERE, 'train.py'), '--config', os.path.join(HERE, run['config']),
                   '--out', os.path.join(args.out, run['run_id']), *rest]
        if subprocess.call(command) != 0:
            failed.append(i)
    if failed:
        print(f"run_sweep.py: configuration{'s' if len(failed) > 1 else ''} {', '.join(map(str, failed))} failed", file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
