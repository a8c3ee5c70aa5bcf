#!/usr/bin/env python3
"""Times the numpy shift loop (spike_trains.phylib_ccg) on spikes dumped by
core/kernels/spikeTrains/bench/ccgSpeed.ts --dump DIR. Usage: python3 spike_trains_bench.py DIR [--all]"""
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spike_trains import phylib_ccg  # noqa: E402

d = sys.argv[1]
frames = np.load(os.path.join(d, 'frames.npy'))
labels = np.load(os.path.join(d, 'labels.npy'))
K = int(labels.max()) + 1
trains = [frames[labels == k] for k in range(K)]
print(f'{K} units, {len(frames)} spikes')

t0 = time.perf_counter()
for t in trains:
    phylib_ccg(t, np.zeros(len(t), dtype=np.int64), [0], 30000, 0.001, 0.05)
print(f'numpy: all {K} autocorrelograms, one phylib call per unit: {time.perf_counter() - t0:.2f} s')

sub = np.concatenate(trains[:20])
lab = np.concatenate([np.full(len(t), k) for k, t in enumerate(trains[:20])])
o = np.argsort(sub, kind='stable')
t0 = time.perf_counter()
phylib_ccg(sub[o], lab[o], list(range(20)), 30000, 0.001, 0.05)
print(f'numpy: 20 x 20 matrix ({len(sub)} spikes): {time.perf_counter() - t0:.2f} s')

if '--all' in sys.argv:
    o = np.argsort(frames, kind='stable')
    t0 = time.perf_counter()
    phylib_ccg(frames[o], labels[o], list(range(K)), 30000, 0.001, 0.05)
    print(f'numpy: one phylib call over all spikes ({K} x {K} matrix, ACGs on the diagonal): {time.perf_counter() - t0:.2f} s')
