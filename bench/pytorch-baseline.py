#!/usr/bin/env python3
"""PyTorch twin of the lab's training bench: trains the same models on the same data at the same
batch size with Adam and prints samples/s as JSON. Run by bench/run-pytorch-bench.mjs (one run per
thread count); needs PyTorch (Debian: python3-torch, for /usr/bin/python3).

  /usr/bin/python3 bench/pytorch-baseline.py --threads 1 --batch 64,256 --models 'mlp:128;cnn'

Models (the lab's builders are src/training/models.ts and architecture.ts):
  mlp:H1,H2,...  Flatten, Dense(Hi, relu) per hidden layer, Dense(10) (the lab's softmax is fused
                 into the cross-entropy here, the same maths)
  cnn            the CNN preset, DEFAULT_CNN of src/training/config.ts: per block Conv2D(f, 3x3,
                 padding 'same', relu) then MaxPool(2, stride 2) for f in 8, 16; Flatten,
                 Dense(32, relu), Dense(10)
Data: public/datasets/mnist-10k.bin (format in scripts/build-mnist.mjs), pixels / 255, the first 70%
as the training set (the lab's split is 70/15/15), reshuffled every pass.
Output: {"torch_version", "threads", "train_samples", "results": [{"model", "batch", "steps",
"samples_per_s"}]}.
"""
import argparse
import json
import struct
import sys
import time
from pathlib import Path

import torch
from torch import nn

MNIST = Path(__file__).resolve().parent.parent / 'public' / 'datasets' / 'mnist-10k.bin'
PIXELS = 28 * 28
TRAIN_FRACTION = 0.7  # DEFAULT_RATIOS.train
CNN_PRESET = {'filters': [8, 16], 'kernel': 3, 'dense': 32}  # DEFAULT_CNN


def load_mnist(path):
    raw = path.read_bytes()
    magic, version, count, pixels = struct.unpack_from('<4sIII', raw, 0)
    if magic != b'TLMN' or version != 1 or pixels != PIXELS:
        sys.exit(f'{path}: not a version-1 TLMN file of 28x28 images (run npm install to build it)')
    if len(raw) != 16 + count * (PIXELS + 1):
        sys.exit(f'{path}: {len(raw)} bytes, expected {16 + count * (PIXELS + 1)} for {count} images')
    images = torch.frombuffer(bytearray(raw[16:16 + count * PIXELS]), dtype=torch.uint8)
    labels = torch.frombuffer(bytearray(raw[16 + count * PIXELS:]), dtype=torch.uint8)
    x = images.float().div_(255).reshape(count, 1, 28, 28)
    return x, labels.long()


def build(model_name):
    if model_name == 'cnn':
        layers, channels, side = [], 1, 28
        for f in CNN_PRESET['filters']:
            layers += [nn.Conv2d(channels, f, CNN_PRESET['kernel'], padding='same'), nn.ReLU(), nn.MaxPool2d(2, 2)]
            channels, side = f, side // 2
        layers += [nn.Flatten(), nn.Linear(channels * side * side, CNN_PRESET['dense']), nn.ReLU(),
                   nn.Linear(CNN_PRESET['dense'], 10)]
        return nn.Sequential(*layers)
    kind, _, sizes = model_name.partition(':')
    if kind != 'mlp' or not sizes:
        sys.exit(f'unknown model {model_name!r}: expected mlp:H1,H2,... or cnn')
    layers, units = [nn.Flatten()], PIXELS
    for h in (int(s) for s in sizes.split(',')):
        layers += [nn.Linear(units, h), nn.ReLU()]
        units = h
    layers.append(nn.Linear(units, 10))
    return nn.Sequential(*layers)


def label(model_name):
    return 'CNN preset' if model_name == 'cnn' else f'MLP [{model_name.partition(":")[2]}]'


def train_steps(model, opt, loss_fn, x, y, batch, steps):
    """Trains `steps` batches, reshuffling the training set at every pass, like the lab's epochs."""
    n, done = x.shape[0], 0
    while done < steps:
        order = torch.randperm(n)
        for start in range(0, n - batch + 1, batch):
            idx = order[start:start + batch]
            opt.zero_grad(set_to_none=True)
            loss_fn(model(x[idx]), y[idx]).backward()
            opt.step()
            done += 1
            if done == steps:
                return


def bench(model_name, x, y, batch, seconds):
    torch.manual_seed(42)
    model = build(model_name)
    opt = torch.optim.Adam(model.parameters(), lr=0.001)  # the lab bench's learning rate
    loss_fn = nn.CrossEntropyLoss()
    train_steps(model, opt, loss_fn, x, y, batch, 20)  # warm-up (allocator, first-call costs)
    # Calibrate: time a short run, then run long enough for about `seconds`.
    t0 = time.perf_counter()
    train_steps(model, opt, loss_fn, x, y, batch, 50)
    per_step = (time.perf_counter() - t0) / 50
    steps = max(50, int(seconds / per_step))
    t0 = time.perf_counter()
    train_steps(model, opt, loss_fn, x, y, batch, steps)
    elapsed = time.perf_counter() - t0
    return {'model': label(model_name), 'batch': batch, 'steps': steps, 'samples_per_s': steps * batch / elapsed}


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--threads', type=int, default=1, help='torch.set_num_threads (default 1)')
    p.add_argument('--batch', default='64', help="batch size, or several separated by commas (default 64)")
    p.add_argument('--models', default='mlp:128;cnn', help="';'-separated: mlp:H1,H2,... and/or cnn")
    p.add_argument('--seconds', type=float, default=3.0, help='timed seconds per model and batch size (default 3)')
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    x, y = load_mnist(MNIST)
    n_train = int(x.shape[0] * TRAIN_FRACTION)
    x, y = x[:n_train].contiguous(), y[:n_train].contiguous()
    batches = [int(b) for b in str(args.batch).split(',') if b]
    results = [bench(m, x, y, b, args.seconds) for m in args.models.split(';') if m for b in batches]
    print(json.dumps({'torch_version': torch.__version__, 'threads': torch.get_num_threads(),
                      'train_samples': n_train, 'results': results}))


if __name__ == '__main__':
    main()
