#!/usr/bin/env python3
"""The reference for the ccg benchmark: phylib's correlogram algorithm in numpy (the shift loop, as
test/oracles/spike_trains.py re-implements it from the description), one call per unit for all
autocorrelograms. Reads DIR/frames.npy + DIR/labels.npy, writes DIR/reference_counts.npy
([K][nBins] int32) and prints {"seconds": …} as JSON.
Usage: python3 bench/ccg_reference.py DIR"""
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'oracles'))
from spike_trains import phylib_ccg  # noqa: E402

d = sys.argv[1]
frames = np.load(os.path.join(d, 'frames.npy'))
labels = np.load(os.path.join(d, 'labels.npy'))
K = int(labels.max()) + 1
trains = [frames[labels == k] for k in range(K)]
t0 = time.perf_counter()
counts = [phylib_ccg(t, np.zeros(len(t), dtype=np.int64), [0], 30000, 0.001, 0.05)[0, 0] for t in trains]
seconds = time.perf_counter() - t0
np.save(os.path.join(d, 'reference_counts.npy'), np.asarray(counts, dtype=np.int32))
print(json.dumps({'seconds': seconds, 'units': K, 'spikes': int(len(frames))}))
