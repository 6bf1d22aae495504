#!/usr/bin/env python3
"""A TrainLab run, exported to plain PyTorch: the same data and split, architecture, initial weights,
optimizer, weight decay, learning-rate schedule, early stopping and seeded batch order as the run in
the browser. It trains, then writes a run folder in the layout of TrainLab's run.zip (which loads
into TrainLab's Compare beside the browser run) with the best model in PyTorch's format and in the
tfjs LayersModel format (which TrainLab and tf.loadLayersModel read).

  python train.py                          one process: the GPU when there is one, else the CPU
  python train.py --device cpu             (or cuda, cuda:1)
  torchrun --nproc_per_node=4 train.py     DistributedDataParallel on 4 GPUs (or CPU processes)
  python train.py --spawn 2                2 local processes with the gloo backend, without torchrun
  python train.py --config other.json      another configuration (same layout as config.json)

Everything it reads sits beside it (config.json, data/, initial_model/); it never uses the network.
See README.md. Needs PyTorch (tested with 1.13) and NumPy; matplotlib for the figures (optional).
"""
import argparse
import csv
import datetime
import json
import math
import os
import platform
import socket
import sys
import time
from collections import OrderedDict

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F

EVAL_BATCH_SIZE = 512  # rows per inference batch, as in the lab
HISTORY_COLUMNS = ['epoch', 'train_loss', 'train_acc', 'val_loss', 'val_acc', 'learning_rate', 'epoch_time_seconds', 'samples_per_second']
M32 = 0xFFFFFFFF


# ---------------------------------------------------------------------------------------------
# The lab's seeded generator (src/training/rng.ts: mulberry32) and its batch order, ported bit for
# bit: 32-bit unsigned arithmetic, the same seed mixing, the same Fisher-Yates shuffle.
# ---------------------------------------------------------------------------------------------

def _imul(a, b):
    return (a * b) & M32


class LabRng:
    def __init__(self, seed):
        self.state = _imul((int(seed) & M32) ^ 0x9E3779B9, 0x85EBCA6B)

    def next(self):
        """Uniform in [0, 1), exactly as the lab's next()."""
        self.state = (self.state + 0x6D2B79F5) & M32
        t = self.state
        t = _imul(t ^ (t >> 15), t | 1)
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296.0

    def int(self, n):
        return math.floor(self.next() * n)

    def shuffle(self, values):
        for i in range(len(values) - 1, 0, -1):
            j = self.int(i + 1)
            values[i], values[j] = values[j], values[i]
        return values


def epoch_seed(seed, epoch):
    """The batch-shuffling seed of one epoch (src/training/trainer-ops.ts epochSeed)."""
    return (_imul((int(seed) & M32) ^ 0x5BD1E995, 0x27D4EB2D) + _imul(int(epoch) & M32, 0x165667B1)) & M32


def epoch_order(seed, epoch, n):
    """The order in which epoch `epoch` visits the n training rows, the same as the lab's."""
    return np.array(LabRng(epoch_seed(seed, epoch)).shuffle(list(range(n))), dtype=np.int64)


# ---------------------------------------------------------------------------------------------
# Configuration and data
# ---------------------------------------------------------------------------------------------

class ExportError(Exception):
    pass


def load_export(path):
    with open(path, encoding='utf-8') as f:
        cfg = json.load(f)
    if cfg.get('format') != 'trainlab-pytorch':
        raise ExportError(f'{path} is not a TrainLab PyTorch export configuration (format {cfg.get("format")!r})')
    cfg['_base'] = os.path.dirname(os.path.abspath(path))
    return cfg


def _file(cfg, rel):
    return os.path.join(cfg['_base'], rel)


def read_part(cfg, part):
    """x (float32, the lab's layout: rows × features, or N × H × W × C) and y (int64) of one part."""
    spec = cfg['data']['parts'][part]
    with open(_file(cfg, spec['rows']), newline='', encoding='utf-8') as f:
        reader = csv.reader(f)
        next(reader)  # the header
        rows = [r for r in reader if r]
    # Columns: source_row (the sample's index in the data as TrainLab read it), the inputs (tables only), label (last).
    y = np.array([int(r[-1]) for r in rows], dtype=np.int64)
    if spec.get('features'):
        x = np.load(_file(cfg, spec['features']))
    else:
        x = np.array([[float(v) for v in r[1:-1]] for r in rows], dtype=np.float32)
    x = np.ascontiguousarray(x, dtype=np.float32).reshape([len(y)] + list(cfg['dataset']['input_shape']))
    if len(y) != spec['n']:
        raise ExportError(f'{part}: {len(y)} rows, the export says {spec["n"]}')
    return x, y


# ---------------------------------------------------------------------------------------------
# The model: the lab's layers (src/training/models.ts) with the lab's names. It takes the lab's
# layout (images N × H × W × C) and returns logits; softmax gives the lab's output.
# ---------------------------------------------------------------------------------------------

ACTIVATIONS = {'relu': nn.ReLU, 'tanh': nn.Tanh, 'sigmoid': nn.Sigmoid, 'elu': nn.ELU}


class TrainLabNet(nn.Module):
    def __init__(self, spec, input_shape, num_classes):
        super().__init__()
        self.kind = spec['kind']
        act = spec['activation']
        layers = OrderedDict()
        # The lab's layer table: name, tfjs class, output shape (batch first, tfjs's channels-last).
        self.table = []
        self.flat_hwc = None  # CNN: the map that Flatten flattens (its first Dense is permuted between layouts)

        def add(name, module, tfjs_type, shape):
            layers[name] = module
            self.table.append((name, tfjs_type, [None] + list(shape), module))

        if self.kind == 'mlp':
            units = int(np.prod(input_shape))
            if len(input_shape) > 1:
                add('flatten', nn.Flatten(), 'Flatten', [units])  # the lab's own layout: no permutation
            for i, h in enumerate(spec['hidden'], 1):
                add(f'dense_{i}', nn.Linear(units, h), 'Dense', [h])
                layers[f'dense_{i}_{act}'] = ACTIVATIONS[act]()
                units = h
                if spec['dropout'] > 0:
                    add(f'dropout_{i}', nn.Dropout(spec['dropout']), 'Dropout', [units])
        elif self.kind == 'cnn':
            h, w, c = input_shape
            k = spec['kernelSize']
            for i, f in enumerate(spec['filters'], 1):
                add(f'conv2d_{i}', nn.Conv2d(c, f, k, padding='same'), 'Conv2D', [h, w, f])
                layers[f'conv2d_{i}_{act}'] = ACTIVATIONS[act]()
                c, h, w = f, (h - 2) // 2 + 1, (w - 2) // 2 + 1
                add(f'max_pooling2d_{i}', nn.MaxPool2d(2, 2), 'MaxPooling2D', [h, w, c])
            self.flat_hwc = (h, w, c)
            units = h * w * c
            add('flatten', nn.Flatten(), 'Flatten', [units])
            if spec['dense'] > 0:
                add('dense_1', nn.Linear(units, spec['dense']), 'Dense', [spec['dense']])
                layers[f'dense_1_{act}'] = ACTIVATIONS[act]()
                units = spec['dense']
            if spec['dropout'] > 0:
                add('dropout_1', nn.Dropout(spec['dropout']), 'Dropout', [units])
        else:
            raise ExportError(f'unknown model kind {self.kind!r}')
        add('output', nn.Linear(units, num_classes), 'Dense', [num_classes])
        self.net = nn.Sequential(layers)
        linear = [name for name, _, _, m in self.table if isinstance(m, nn.Linear)]
        self.after_flatten = linear[0] if self.kind == 'cnn' else None

    def forward(self, x):
        if self.kind == 'cnn':
            x = x.permute(0, 3, 1, 2)  # N × H × W × C (the lab's) → N × C × H × W (PyTorch's)
        return self.net(x)

    def layer(self, name):
        for n, _, _, m in self.table:
            if n == name:
                return m
        raise ExportError(f'the model has no layer {name!r}')

    def architecture(self):
        layers = [{'name': n, 'type': t, 'outputShape': shape, 'params': sum(p.numel() for p in m.parameters()), 'trainable': True}
                  for n, t, shape, m in self.table]
        total = sum(p.numel() for p in self.parameters())
        trainable = sum(p.numel() for p in self.parameters() if p.requires_grad)
        return {'layers': layers, 'total_params': total, 'trainable_params': trainable, 'non_trainable_params': total - trainable}


def lab_initialisation(net, spec, seed):
    """The lab's initialisers, drawn by PyTorch's generator: He-normal (truncated at 2σ, as tfjs) for
    relu/elu layers, Glorot-uniform for tanh/sigmoid and the output, zero biases. Used only when the
    export carries no initial weights."""
    torch.manual_seed(seed)
    for name, _, _, m in net.table:
        if not isinstance(m, (nn.Linear, nn.Conv2d)):
            continue
        act = 'softmax' if name == 'output' else spec['activation']
        if act in ('relu', 'elu'):
            fan_in, _ = nn.init._calculate_fan_in_and_fan_out(m.weight)
            std = math.sqrt(2.0 / max(1, fan_in))
            nn.init.trunc_normal_(m.weight, 0.0, std, -2 * std, 2 * std)
        else:
            nn.init.xavier_uniform_(m.weight)
        nn.init.zeros_(m.bias)


# ---------------------------------------------------------------------------------------------
# Weights in the tfjs LayersModel layout: Dense kernels [in, out] (PyTorch: [out, in]), conv kernels
# H × W × in × out (PyTorch: out × in × H × W), and the first Dense after a CNN's Flatten reads a
# channels-last map (PyTorch flattens channels first).
# ---------------------------------------------------------------------------------------------

def _tfjs_specs(model_json):
    return [w for group in model_json['weightsManifest'] for w in group['weights']]


def _convert(net, layer, param, value, to):
    """One weight from the tfjs layout to PyTorch's (to='torch') or back (to='tfjs')."""
    back = to == 'tfjs'
    if param == 'bias':
        return value
    if isinstance(net.layer(layer), nn.Conv2d):
        return value.transpose((2, 3, 1, 0) if back else (3, 2, 0, 1))
    if layer == net.after_flatten:
        h, w, c = net.flat_hwc
        if back:  # out × (C·H·W) → (H·W·C) × out
            return value.reshape(-1, c, h, w).transpose(2, 3, 1, 0).reshape(h * w * c, -1)
        return value.reshape(h, w, c, -1).transpose(3, 2, 0, 1).reshape(value.shape[1], -1)
    return value.T


def _param(net, spec_name):
    layer, _, param = spec_name.rpartition('/')
    torch_name = {'kernel': 'weight', 'bias': 'bias'}.get(param)
    if torch_name is None:
        raise ExportError(f'weight {spec_name}: unknown kind {param!r}')
    return layer, param, getattr(net.layer(layer), torch_name)


def load_tfjs_weights(net, folder):
    """Sets the model's weights from a tfjs model.json + weights.bin (the browser run's initial weights)."""
    with open(os.path.join(folder, 'model.json'), encoding='utf-8') as f:
        model_json = json.load(f)
    data = b''.join(open(os.path.join(folder, p), 'rb').read() for g in model_json['weightsManifest'] for p in g['paths'])
    offset = 0
    seen = set()
    for spec in _tfjs_specs(model_json):
        if spec.get('dtype', 'float32') != 'float32':
            raise ExportError(f'weight {spec["name"]}: dtype {spec["dtype"]} (float32 expected)')
        count = int(np.prod(spec['shape']))
        value = np.frombuffer(data, dtype='<f4', count=count, offset=offset).reshape(spec['shape'])
        offset += 4 * count
        layer, param, target = _param(net, spec['name'])
        value = _convert(net, layer, param, value, 'torch')
        if tuple(value.shape) != tuple(target.shape):
            raise ExportError(f'weight {spec["name"]}: shape {list(value.shape)} does not fit {list(target.shape)}')
        with torch.no_grad():
            target.copy_(torch.tensor(np.ascontiguousarray(value)))
        seen.add(id(target))
    if offset != len(data):
        raise ExportError(f'{folder}: weights.bin has {len(data)} bytes, model.json describes {offset}')
    missing = [n for n, p in net.named_parameters() if id(p) not in seen]
    if missing:
        raise ExportError(f'{folder}/model.json has no weights for {", ".join(missing)}')


def write_tfjs_model(net, model_json, folder):
    """Writes the model as tfjs model.json (the export's topology) + weights.bin in its manifest's order."""
    os.makedirs(folder, exist_ok=True)
    specs, chunks = [], []
    for spec in _tfjs_specs(model_json):
        layer, param, source = _param(net, spec['name'])
        value = _convert(net, layer, param, source.detach().cpu().numpy(), 'tfjs')
        if list(value.shape) != list(spec['shape']):
            raise ExportError(f'weight {spec["name"]}: shape {list(value.shape)}, model.json says {spec["shape"]}')
        chunks.append(np.ascontiguousarray(value, dtype='<f4').tobytes())
        specs.append({'name': spec['name'], 'shape': list(spec['shape']), 'dtype': 'float32'})
    out = {
        'modelTopology': model_json['modelTopology'],
        'weightsManifest': [{'paths': ['weights.bin'], 'weights': specs}],
        'format': 'layers-model',
        'generatedBy': f'TrainLab train.py (PyTorch {torch.__version__})',
        'convertedBy': None,
    }
    with open(os.path.join(folder, 'model.json'), 'w', encoding='utf-8') as f:
        json.dump(out, f)
    with open(os.path.join(folder, 'weights.bin'), 'wb') as f:
        f.write(b''.join(chunks))


# ---------------------------------------------------------------------------------------------
# Learning-rate schedules (src/training/schedules.ts) and early stopping (early-stopping.ts)
# ---------------------------------------------------------------------------------------------

def _finite(v):
    return v is not None and math.isfinite(v)


def _better(value, best, monitor):
    return _finite(value) and (best is None or (value < best if monitor == 'val_loss' else value > best))


class LrScheduler:
    def __init__(self, base, schedule, total_epochs):
        self.base, self.s, self.total = base, schedule, total_epochs
        self.lr, self.best, self.bad = base, None, 0

    def lr_for_epoch(self, epoch):
        e, s, base = max(1, int(epoch)), self.s, self.base
        if s['kind'] == 'constant':
            return base
        if s['kind'] == 'step':
            return base * math.pow(s['gamma'], (e - 1) // s['stepSize'])
        if s['kind'] == 'cosine':
            if self.total == 1:
                return base
            t = min(e - 1, self.total - 1) / (self.total - 1)
            return s['minLr'] + (base - s['minLr']) * (1 + math.cos(math.pi * t)) / 2
        if s['kind'] == 'plateau':
            return self.lr
        raise ExportError(f'unknown learning-rate schedule {s["kind"]!r}')

    def observe(self, value, monitor):
        if _better(value, self.best, monitor):
            self.best, self.bad = value, 0
            return
        self.bad += 1
        if self.s['kind'] == 'plateau' and self.bad >= self.s['patience']:
            self.lr = min(self.lr, max(self.lr * self.s['factor'], self.s['minLr']))
            self.bad = 0


class EarlyStopper:
    """Stops after `patience` epochs in a row without a strict improvement; tracks the best epoch always."""

    def __init__(self, es):
        self.es, self.best_epoch, self.best_value, self.wait, self.stopped = es, 0, None, 0, False

    def observe(self, epoch, val_loss, val_acc):
        value = val_loss if self.es['monitor'] == 'val_loss' else val_acc
        improved = _better(value, self.best_value, self.es['monitor'])
        if improved:
            self.best_epoch, self.best_value, self.wait = epoch, value, 0
        else:
            self.wait += 1
        if self.es['enabled'] and self.wait >= self.es['patience']:
            self.stopped = True
        return improved


def make_optimizer(c, params):
    """The lab's optimizers with PyTorch's default hyperparameters; weight decay as PyTorch's (L2 on the gradient)."""
    name, lr, wd = c['optimizer'], c['learning_rate'], c['weight_decay']
    if name == 'sgd':
        return torch.optim.SGD(params, lr=lr, weight_decay=wd)
    if name == 'momentum':
        return torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=wd)
    if name == 'adam':
        return torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=wd)
    if name == 'rmsprop':
        # tfjs adds eps inside the square root, PyTorch outside it: the same unless the mean square is tiny.
        return torch.optim.RMSprop(params, lr=lr, alpha=0.99, eps=1e-8, momentum=0, weight_decay=wd)
    raise ExportError(f'unknown optimizer {name!r}')


# ---------------------------------------------------------------------------------------------
# Metrics (src/training/metrics.ts: zero division gives 0)
# ---------------------------------------------------------------------------------------------

def _ratio(a, b):
    return a / b if b > 0 else 0.0


def results_block(y_true, y_pred, loss, class_names, evaluated, epoch):
    k = len(class_names)
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (y_true, y_pred), 1)
    support = cm.sum(axis=1).tolist()
    predicted = cm.sum(axis=0).tolist()
    precision = [_ratio(int(cm[i, i]), predicted[i]) for i in range(k)]
    recall = [_ratio(int(cm[i, i]), support[i]) for i in range(k)]
    f1 = [_ratio(2 * p * r, p + r) for p, r in zip(precision, recall)]
    total = sum(support)
    mean = lambda xs: _ratio(sum(xs), len(xs))
    weighted = lambda xs: _ratio(sum(x * s for x, s in zip(xs, support)), total)
    return {
        'test_loss': loss,
        'test_accuracy': _ratio(int(np.trace(cm)), total) * 100,
        'evaluated_model': evaluated,
        'evaluated_epoch': epoch,
        'per_class_metrics': {
            'per_class': {'class_name': list(class_names), 'precision': precision, 'recall': recall, 'f1': f1, 'support': support},
            'macro': {'precision': mean(precision), 'recall': mean(recall), 'f1': mean(f1)},
            'weighted': {'precision': weighted(precision), 'recall': weighted(recall), 'f1': weighted(f1)},
        },
        'confusion_matrix': cm.tolist(),
    }


# ---------------------------------------------------------------------------------------------
# Training: one process, or one of several (DistributedDataParallel). Every process computes the
# same seeded order of the whole training set; each takes its share of every batch, and its loss
# is scaled so that the averaged gradient is the gradient of the global batch's mean loss (the
# global batch size is the configured one, whatever the number of processes).
# ---------------------------------------------------------------------------------------------

class Context:
    def __init__(self, rank=0, world=1, local_rank=0, launcher=None, backend=None):
        self.rank, self.world, self.local_rank, self.launcher, self.backend = rank, world, local_rank, launcher, backend

    @property
    def distributed(self):
        return self.world > 1


def pick_device(requested, ctx):
    if requested == 'auto':
        requested = 'cuda' if torch.cuda.is_available() else 'cpu'
    device = torch.device(requested)
    if device.type == 'cuda':
        if not torch.cuda.is_available():
            raise ExportError('--device cuda: PyTorch sees no CUDA device here')
        if device.index is None:
            device = torch.device('cuda', ctx.local_rank if ctx.distributed else 0)
        torch.cuda.set_device(device)
    return device


def _sums(t, ctx):
    if ctx.distributed:
        dist.all_reduce(t)
    return t.tolist()


def evaluate(net, x, y, w, device, ctx, shard=True, want_probs=False):
    """(weighted mean loss, correct, n, probabilities) over a part; sharded over the processes unless shard=False."""
    n = len(y)
    rows = np.array_split(np.arange(n), ctx.world)[ctx.rank] if shard and ctx.distributed else np.arange(n)
    acc = torch.zeros(3, dtype=torch.float64, device=device)
    probs = []
    net.eval()
    with torch.no_grad():
        for start in range(0, len(rows), EVAL_BATCH_SIZE):
            idx = torch.from_numpy(rows[start:start + EVAL_BATCH_SIZE]).to(device)
            logits = net(x[idx])
            per = F.cross_entropy(logits, y[idx], weight=w, reduction='none')
            weight = w[y[idx]].sum() if w is not None else torch.tensor(float(len(idx)), device=device)
            acc += torch.stack([per.sum().double(), (logits.argmax(1) == y[idx]).sum().double(), weight.double()])
            if want_probs:
                probs.append(torch.softmax(logits, 1).cpu())
    loss_sum, correct, weight_sum = _sums(acc, ctx) if shard else acc.tolist()
    p = torch.cat(probs).numpy() if want_probs else None
    return _ratio(loss_sum, weight_sum) if weight_sum > 0 else float('nan'), correct, n, p


def train(args, ctx):
    cfg = load_export(args.config)
    c = dict(cfg['config'])
    if args.epochs is not None:
        c['epochs'] = args.epochs
    ds = cfg['dataset']
    class_names = ds['class_names']
    k = len(class_names)
    seed = c['seed']
    device = pick_device(args.device, ctx)
    if device.type == 'cpu' and ctx.distributed:
        torch.set_num_threads(max(1, (os.cpu_count() or 1) // ctx.world))
    start = datetime.datetime.now().astimezone()
    log = print if ctx.rank == 0 and not args.quiet else (lambda *a, **kw: None)

    parts = {p: read_part(cfg, p) for p in ('train', 'val', 'test')}
    for p, (_, y) in parts.items():
        if len(y) and (y.min() < 0 or y.max() >= k):
            raise ExportError(f'{p}: a label outside 0..{k - 1}')
    x_tr, y_tr, x_va, y_va, x_te, y_te = [torch.from_numpy(a).to(device) for p in ('train', 'val', 'test') for a in parts[p]]
    y_tr_np = parts['train'][1]

    net = TrainLabNet(c['model'], ds['input_shape'], k)
    initial = cfg.get('initial_model')
    use_initial = bool(initial and initial.get('weights')) and not args.no_initial_weights
    if use_initial:
        load_tfjs_weights(net, _file(cfg, os.path.dirname(initial['model_json'])))
    else:
        lab_initialisation(net, c['model'], seed)
    net.to(device)
    torch.manual_seed(seed + ctx.rank)  # dropout masks
    model = net
    if ctx.distributed:
        model = nn.parallel.DistributedDataParallel(net, device_ids=[device.index] if device.type == 'cuda' else None)
    optimizer = make_optimizer(c, net.parameters())
    weights_np = np.array(c['class_weight_values'], dtype=np.float64) if c.get('class_weights') else None
    w = torch.tensor(weights_np, dtype=torch.float32, device=device) if weights_np is not None else None
    es = c['early_stopping']
    monitor = es['monitor']
    scheduler = LrScheduler(c['learning_rate'], c['lr_schedule'], c['epochs'])
    stopper = EarlyStopper(es)
    n, bs = len(y_tr_np), c['batch_size']
    batches = math.ceil(n / bs)
    arch = net.architecture()
    log(f'{cfg["model_name"]} ({arch["total_params"]:,} parameters) on {ds["name"]}: {n} train, {len(y_va)} val, {len(y_te)} test rows; '
        f'{device}, {ctx.world} process{"es" if ctx.world > 1 else ""}; initial weights: {"the browser run" if use_initial else "PyTorch, seed %d" % seed}')

    history, best_state, status, reason = [], None, 'completed', f'completed {c["epochs"]} epochs'
    t_run = time.perf_counter()
    early = False
    for epoch in range(1, c['epochs'] + 1):
        lr = scheduler.lr_for_epoch(epoch)
        for g in optimizer.param_groups:
            g['lr'] = lr
        order = epoch_order(seed, epoch, n)
        model.train()
        acc = torch.zeros(3, dtype=torch.float64, device=device)
        t0 = time.perf_counter()
        for b in range(batches):
            rows = order[b * bs:(b + 1) * bs]
            mine = torch.from_numpy(np.array_split(rows, ctx.world)[ctx.rank]).to(device)
            global_weight = float(weights_np[y_tr_np[rows]].sum()) if weights_np is not None else float(len(rows))
            logits = model(x_tr[mine])
            per = F.cross_entropy(logits, y_tr[mine], weight=w, reduction='none')
            loss = per.sum() * (ctx.world / global_weight)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                mine_weight = w[y_tr[mine]].sum() if w is not None else torch.tensor(float(len(mine)), device=device)
                acc += torch.stack([per.sum().double(), (logits.argmax(1) == y_tr[mine]).sum().double(), mine_weight.double()])
        loss_sum, correct, weight_sum = _sums(acc, ctx)
        pass_seconds = time.perf_counter() - t0
        train_loss = _ratio(loss_sum, weight_sum)
        val_loss, val_correct, n_val, _ = evaluate(net, x_va, y_va, w, device, ctx)
        val_acc = 100 * val_correct / n_val
        seconds = time.perf_counter() - t0
        if not (math.isfinite(train_loss) and math.isfinite(val_loss)):
            status, reason = 'diverged', f'diverged at epoch {epoch}: loss is {train_loss if not math.isfinite(train_loss) else val_loss}'
            break
        scheduler.observe(val_loss if monitor == 'val_loss' else val_acc, monitor)
        if stopper.observe(epoch, val_loss, val_acc):
            best_state = {key: v.detach().clone() for key, v in net.state_dict().items()}
        history.append({'epoch': epoch, 'train_loss': train_loss, 'train_acc': 100 * correct / n, 'val_loss': val_loss, 'val_acc': val_acc,
                        'learning_rate': lr, 'epoch_time_seconds': seconds, 'samples_per_second': n / pass_seconds})
        log(f'epoch {epoch}/{c["epochs"]}  train loss {train_loss:.4f} acc {100 * correct / n:.2f}%  val loss {val_loss:.4f} acc {val_acc:.2f}%  '
            f'lr {lr:.3g}  {seconds:.2f} s ({n / pass_seconds:,.0f} samples/s)')
        if stopper.stopped and epoch < c['epochs']:
            early = True
            status = 'completed'
            reason = (f'early stopping: {monitor} did not improve for {es["patience"]} epochs (best {stopper.best_value} at epoch '
                      f'{stopper.best_epoch}); {epoch} of {c["epochs"]} epochs run')
            break
    duration = time.perf_counter() - t_run
    if ctx.rank != 0:
        return None
    # The test set on the final weights, then (when they differ) on the best epoch's: the best is the model.
    last = history[-1]['epoch'] if history else 0
    final = evaluate(net, x_te, y_te, w, device, ctx, shard=False, want_probs=True) if status != 'diverged' else None
    tested, evaluated, tested_epoch = final, 'final', last
    if best_state is not None and status != 'diverged':
        evaluated, tested_epoch = 'best', stopper.best_epoch
        if stopper.best_epoch != last:
            net.load_state_dict(best_state)
            tested = evaluate(net, x_te, y_te, w, device, ctx, shard=False, want_probs=True)
    run = {
        'cfg': cfg, 'config': c, 'device': device, 'ctx': ctx, 'start': start, 'duration': duration, 'history': history,
        'status': status, 'reason': reason, 'early': early, 'stopper': stopper, 'arch': arch, 'net': net,
        'final': final, 'tested': tested, 'evaluated': evaluated, 'tested_epoch': tested_epoch, 'y_test': parts['test'][1],
        'use_initial': use_initial,
    }
    folder = write_run_folder(run, args.out)
    print(f'Run folder: {folder}')  # even with --quiet: where the results are
    return folder


# ---------------------------------------------------------------------------------------------
# The run folder (the layout of TrainLab's run.zip; only process 0 writes)
# ---------------------------------------------------------------------------------------------

def _clean(v):
    """JSON has no NaN or Infinity: they are written as null (as the lab does)."""
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, dict):
        return {key: _clean(x) for key, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return _clean(float(v))
    return v


def _write_json(path, value):
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(_clean(value), f, indent=2, allow_nan=False, ensure_ascii=False)
        f.write('\n')


def _csv_text(v):
    """A text cell as the lab writes one: a leading =, +, -, @, tab or CR gets an apostrophe (formula injection)."""
    return "'" + v if v[:1] in ('=', '+', '-', '@', '\t', '\r') else v


def _cell(v):
    if isinstance(v, str):
        return _csv_text(v)
    if v is None:
        return ''
    if isinstance(v, float) and not math.isfinite(v):
        return 'NaN' if math.isnan(v) else ('Infinity' if v > 0 else '-Infinity')
    return repr(float(v)) if isinstance(v, float) else str(v)


def _write_csv(path, header, rows):
    with open(path, 'w', newline='', encoding='utf-8') as f:
        writer = csv.writer(f)  # RFC 4180, CRLF line ends, as the lab's files
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(v) for v in row])


def _folder_name(out, model_name, start):
    base = os.path.join(out, f'{model_name}_{start.strftime("%Y%m%d_%H%M%S")}')
    folder, i = base, 2
    while os.path.exists(folder):
        folder, i = f'{base}_{i}', i + 1
    os.makedirs(folder)
    return folder


def environment(run):
    device, ctx = run['device'], run['ctx']
    name = torch.cuda.get_device_name(device) if device.type == 'cuda' else (platform.processor() or platform.machine())
    return {
        'framework': 'PyTorch',
        'framework_version': torch.__version__,
        'device': str(device),
        'device_name': name,
        'world_size': ctx.world,
        'distributed': f'DistributedDataParallel ({ctx.backend}, {ctx.launcher})' if ctx.distributed else None,
        'cuda_version': torch.version.cuda,
        'cpu_threads': torch.get_num_threads(),
        'python_version': platform.python_version(),
        'numpy_version': np.__version__,
        'platform': platform.platform(),
        'script': 'train.py, exported by TrainLab ' + str(run['cfg'].get('app_version', '')),
    }


def write_run_folder(run, out):
    cfg, c, history, net = run['cfg'], run['config'], run['history'], run['net']
    ds = cfg['dataset']
    class_names = ds['class_names']
    start, end = run['start'], datetime.datetime.now().astimezone()
    folder = _folder_name(out, cfg['model_name'], start)
    run_id = os.path.basename(folder)
    device = str(run['device'])
    config = dict(c, device=device)
    stopper, tested, final = run['stopper'], run['tested'], run['final']
    best = next((h for h in history if h['epoch'] == stopper.best_epoch), None)
    last = history[-1] if history else {}
    test = None
    probabilities = None
    if tested is not None:
        loss, _, _, probabilities = tested
        y_true = run['y_test']
        y_pred = probabilities.argmax(1) if len(probabilities) else np.zeros(0, dtype=np.int64)
        test = results_block(y_true, y_pred, loss, class_names, run['evaluated'], run['tested_epoch'])
    seconds = run['duration']
    summary = {
        'model_name': cfg['model_name'],
        'model_parameters': run['arch']['total_params'],
        'start_time': start.isoformat(timespec='milliseconds'),
        'end_time': end.isoformat(timespec='milliseconds'),
        'training_duration_seconds': seconds,
        'training_duration_formatted': str(datetime.timedelta(seconds=int(seconds))),
        'config': config,
        'dataset': ds,
        'training': {
            'model_selection_method': 'validation_loss' if c['early_stopping']['monitor'] == 'val_loss' else 'validation_accuracy',
            'best_epoch': best['epoch'] if best else 0,
            'best_val_accuracy': best['val_acc'] if best else None,
            'best_val_loss': best['val_loss'] if best else None,
            'epochs_completed': len(history),
            'early_stopped': run['early'],
            'final_train_loss': last.get('train_loss'),
            'final_train_acc': last.get('train_acc'),
            'final_val_loss': last.get('val_loss'),
            'final_val_acc': last.get('val_acc'),
            'final_learning_rate': last.get('learning_rate'),
            'final_test_loss': final[0] if final else None,
            'final_test_acc': 100 * final[1] / final[2] if final and final[2] else None,
        },
        'test': test,
        'run_id': run_id,
        'status': run['status'],
        'status_reason': run['reason'],
        'architecture': run['arch'],
        'environment': environment(run),
        'history': history,
        'exported_from': cfg.get('browser_run'),
        'initial_weights': "the browser run's (initial_model/)" if run['use_initial'] else f'PyTorch initialisation, seed {c["seed"]}',
    }
    _write_json(os.path.join(folder, 'results_summary.json'), summary)
    _write_json(os.path.join(folder, 'training_history.json'), {key: [h[key] for h in history] for key in HISTORY_COLUMNS[1:] + ['epoch']})
    _write_csv(os.path.join(folder, 'training_history.csv'), HISTORY_COLUMNS, ([h[key] for key in HISTORY_COLUMNS] for h in history))
    run_config = {key: v for key, v in (cfg.get('config_json') or {}).items() if key != 'schema_version'}  # no TrainLab record here
    run_config.update(run_id=run_id, device=device, epochs=c['epochs'], framework=f'PyTorch {torch.__version__}', exported_from=cfg['run_id'])
    _write_json(os.path.join(folder, 'config.json'), run_config)
    if test is not None:
        pc = test['per_class_metrics']['per_class']
        _write_csv(os.path.join(folder, 'per_class_metrics.csv'), ['class_name', 'class_id', 'precision', 'recall', 'f1_score', 'support'],
                   ([name, i, pc['precision'][i], pc['recall'][i], pc['f1'][i], pc['support'][i]] for i, name in enumerate(class_names)))
        y_true = run['y_test']
        _write_csv(os.path.join(folder, 'test_predictions.csv'), ['index', 'true_label', 'predicted_label', 'confidence'] + [f'prob_{n}' for n in class_names],
                   ([i, int(t), int(p.argmax()), float(p[p.argmax()])] + [float(v) for v in p] for i, (t, p) in enumerate(zip(y_true, probabilities))))
    with open(os.path.join(folder, 'SUMMARY.txt'), 'w', encoding='utf-8') as f:
        f.write(summary_txt(summary, cfg))
    torch.save(net.state_dict(), os.path.join(folder, 'best_model.pt'))
    model_json = _initial_model_json(cfg)
    if model_json is not None:
        write_tfjs_model(net, model_json, os.path.join(folder, 'best_model'))
    figures(folder, summary)
    return folder


def _initial_model_json(cfg):
    initial = cfg.get('initial_model')
    if not initial:
        return None
    with open(_file(cfg, initial['model_json']), encoding='utf-8') as f:
        return json.load(f)


def summary_txt(s, cfg):
    c, t, env = s['config'], s['training'], s['environment']
    rule = '=' * 78
    pct = lambda v: '—' if v is None else f'{v:.2f} %'
    num = lambda v: '—' if v is None else f'{v:.4f}'
    browser = cfg.get('browser_run') or {}
    lines = [rule, 'TRAINLAB TRAINING SUMMARY (PyTorch)', f'{s["model_name"].upper()} on {s["dataset"]["name"]}', rule, '',
             f'Run:            {s["run_id"]}',
             f'Exported from:  {cfg["run_id"]} (browser test accuracy {pct(browser.get("test_accuracy"))})',
             f'Parameters:     {s["model_parameters"]:,}',
             f'Status:         {s["status"]} — {s["status_reason"]}',
             f'Started:        {s["start_time"]}', f'Finished:       {s["end_time"]}',
             f'Duration:       {s["training_duration_formatted"]} ({s["training_duration_seconds"]:.1f} s)',
             f'Device:         {env["device"]}',
             f'Framework:      PyTorch {env["framework_version"]} (Python {env["python_version"]}), {env["world_size"]} process(es)'
             + (f', {env["distributed"]}' if env['distributed'] else ''),
             f'Initial weights: {s["initial_weights"]}', '',
             'CONFIGURATION', '-' * 78,
             f'Epochs: {c["epochs"]} ({t["epochs_completed"]} completed{", stopped early" if t["early_stopped"] else ""})',
             f'Batch Size: {c["batch_size"]} (global, over all processes)', f'Optimizer: {c["optimizer"]}',
             f'Learning Rate: {c["learning_rate"]} (schedule: {json.dumps(c["lr_schedule"])})', f'Weight Decay: {c["weight_decay"]}',
             f'Early stopping: {json.dumps(c["early_stopping"])}', f'Random Seed: {c["seed"]} (batch order as the lab\'s)', '',
             'RESULTS', '-' * 78,
             f'Best Validation Accuracy: {pct(t["best_val_accuracy"])} (Epoch {t["best_epoch"]})']
    test = s['test']
    if test:
        lines += [f'Test Accuracy: {pct(test["test_accuracy"])} ({test["evaluated_model"]} model, epoch {test["evaluated_epoch"]} weights)',
                  f'Test Loss: {num(test["test_loss"])}', '', 'PER-CLASS PERFORMANCE (Test Set)', '-' * 78,
                  f'{"Class":<24}{"Precision":>11}{"Recall":>11}{"F1-Score":>11}{"Support":>11}']
        pc = test['per_class_metrics']['per_class']
        for i, name in enumerate(pc['class_name']):
            lines.append(f'{name[:23]:<24}{pc["precision"][i]:>11.4f}{pc["recall"][i]:>11.4f}{pc["f1"][i]:>11.4f}{pc["support"][i]:>11}')
        m = test['per_class_metrics']['macro']
        lines.append(f'{"Macro Average":<24}{m["precision"]:>11.4f}{m["recall"]:>11.4f}{m["f1"]:>11.4f}')
    else:
        lines.append('Test results: none (the run diverged)')
    lines.append(rule)
    return '\n'.join(lines) + '\n'


def figures(folder, s):
    """training_curves, loss_curve, accuracy_curve, confusion_matrix as 300 DPI PNG and PDF, when matplotlib is installed."""
    try:
        import matplotlib
        matplotlib.use('Agg')
        matplotlib.rcParams['pdf.fonttype'] = 42  # TrueType fonts in the PDFs
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator
    except ImportError:
        return
    h = s['history']
    if not h:
        return
    epochs = [e['epoch'] for e in h]
    colours = {'train': '#0072B2', 'validation': '#D55E00'}  # Okabe-Ito: colour-blind safe

    def curve(ax, key, label):
        for part, name in (('train', 'train'), ('val', 'validation')):
            ax.plot(epochs, [e[f'{part}_{key}'] for e in h], marker='o', markersize=3, color=colours[name], label=name)
        ax.set_xlabel('epoch')
        ax.set_ylabel(label)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        ax.legend(loc='best')

    def save(fig, name):
        fig.tight_layout()
        for ext in ('png', 'pdf'):
            fig.savefig(os.path.join(folder, f'{name}.{ext}'), dpi=300)
        plt.close(fig)

    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    curve(a, 'loss', 'cross-entropy loss')
    curve(b, 'acc', 'accuracy (%)')
    save(fig, 'training_curves')
    for key, label, name in (('loss', 'cross-entropy loss', 'loss_curve'), ('acc', 'accuracy (%)', 'accuracy_curve')):
        fig, ax = plt.subplots(figsize=(6, 4))
        curve(ax, key, label)
        save(fig, name)
    if s['test']:
        cm = np.array(s['test']['confusion_matrix'])
        names = s['dataset']['class_names']
        rows = cm.sum(axis=1, keepdims=True)
        share = np.divide(cm, rows, out=np.zeros(cm.shape), where=rows > 0)
        size = max(5, 0.6 * len(names) + 2.5)
        fig, ax = plt.subplots(figsize=(size, size))
        ax.imshow(share, cmap='Blues', vmin=0, vmax=1)
        for i in range(len(names)):
            for j in range(len(names)):
                ax.text(j, i, f'{cm[i, j]}\n{100 * share[i, j]:.1f}%', ha='center', va='center', fontsize=8,
                        color='white' if share[i, j] > 0.5 else 'black')
        ax.set_xticks(range(len(names)), names, rotation=45, ha='right')
        ax.set_yticks(range(len(names)), names)
        ax.set_xlabel('predicted class')
        ax.set_ylabel('true class')
        ax.set_title(f'Confusion matrix, test set (accuracy {s["test"]["test_accuracy"]:.2f} %)\ncount and % of the true class', fontsize=10)
        save(fig, 'confusion_matrix')


# ---------------------------------------------------------------------------------------------
# Start-up: one process, torchrun's processes, or --spawn N local processes
# ---------------------------------------------------------------------------------------------

def parse_args(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description='Train the exported TrainLab run with PyTorch.')
    p.add_argument('--config', default=os.path.join(here, 'config.json'), help='the export configuration (default: config.json beside this script)')
    p.add_argument('--device', default='auto', help='auto (CUDA when available), cpu, cuda or cuda:N')
    p.add_argument('--out', default='checkpoints', help='where the run folder is written (default: checkpoints/)')
    p.add_argument('--spawn', type=int, default=0, metavar='N', help='start N local processes (DistributedDataParallel) without torchrun')
    p.add_argument('--dist-backend', default=None, help='gloo or nccl (default: nccl on CUDA, gloo on the CPU)')
    p.add_argument('--epochs', type=int, default=None, help='override the number of epochs (the run folder says so)')
    p.add_argument('--no-initial-weights', action='store_true', help="start from PyTorch's own initialisation (seeded) instead of the browser run's weights")
    p.add_argument('--quiet', action='store_true', help='print only the run folder (and errors)')
    return p.parse_args(argv)


def _backend(args):
    if args.dist_backend:
        return args.dist_backend
    wants_cuda = args.device.startswith('cuda') or (args.device == 'auto' and torch.cuda.is_available())
    return 'nccl' if wants_cuda else 'gloo'


def _spawned(rank, world, args):
    backend = _backend(args)
    dist.init_process_group(backend, rank=rank, world_size=world)
    try:
        train(args, Context(rank, world, rank, 'spawn', backend))
    finally:
        dist.destroy_process_group()


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def main(argv=None):
    args = parse_args(argv)
    if args.spawn > 1:
        import torch.multiprocessing as mp
        os.environ['MASTER_ADDR'] = '127.0.0.1'
        os.environ['MASTER_PORT'] = str(_free_port())
        mp.spawn(_spawned, args=(args.spawn, args), nprocs=args.spawn, join=True)
    elif int(os.environ.get('WORLD_SIZE', '1')) > 1:  # torchrun (env:// initialisation)
        backend = _backend(args)
        dist.init_process_group(backend, init_method='env://')
        try:
            train(args, Context(dist.get_rank(), dist.get_world_size(), int(os.environ.get('LOCAL_RANK', '0')), 'torchrun', backend))
        finally:
            dist.destroy_process_group()
    else:
        train(args, Context())


if __name__ == '__main__':
    try:
        main()
    except ExportError as e:
        sys.exit(f'train.py: {e}')
