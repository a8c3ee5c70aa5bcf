#!/usr/bin/env python3
"""Independent numpy reference for core/kernels/waveforms/featureSpace.ts (fetch_feature_space.1).

Usage: python3 feature_space.py DIR, through test/oracles/runOracle.ts (protocol: oracle_protocol.py).
Sampling and snippet extraction are waveforms.py's; the feature space is re-implemented from its
description, with numpy's SVD: rows = (spike, channel) waveforms minus their own time mean; the PCA
is fitted on the rows of every stride-th spike (stride = ceil(rows / maxFitRows)), not centred (as
Kilosort's wPCA: the top right singular vectors of the rows), signs pinned as Kilosort pins PC1 (largest |loading| negative); every row is projected.
"""
import math

import numpy as np

from oracle_protocol import serve
from waveforms import arr, sample, sign_fix, snippets


def k_feature_space(case):
    traces = arr(case['traces'])
    before, after = case['snippetLen']
    cols = np.array(case['cols'], dtype=int)
    k = case['k']
    frames, rows = [], []
    for u in case['units']:
        times = np.concatenate([arr(t).astype(np.float64) for t in u['times']])
        f = sample(times, u['unitIds'], case['numFrames'], before, after, case['maxSpikes'])
        W = snippets(traces, f, before, after, cols)            # [n][T][C]
        W = np.transpose(W, (0, 2, 1))                          # [n][C][T]
        rows.append(W - W.mean(axis=2, keepdims=True))
        frames.append(f)
    R = np.concatenate(rows)                                    # [N][C][T]
    N, C, T = R.shape
    stride = max(1, math.ceil(N * C / case['maxFitRows']))
    fit = R[::stride].reshape(-1, T)
    _, s, vt = np.linalg.svd(fit, full_matrices=False)
    vt = -sign_fix(vt[:k].copy())  # sign_fix makes the largest |loading| positive
    var = s[:k] ** 2 / fit.shape[0]
    ratio = s[:k] ** 2 / (fit ** 2).sum()
    feats = np.einsum('nct,kt->nck', R, vt)
    return {
        'counts': [len(f) for f in frames],
        'timepoints': np.concatenate(frames).tolist(),
        'features': feats.ravel().tolist(),
        'components': vt.tolist(),
        'variance': var.tolist(),
        'varianceRatio': ratio.tolist(),
        'fitSpikes': int(R[::stride].shape[0]),
    }


OPS = {name[2:]: fn for name, fn in globals().items() if name.startswith('k_')}


if __name__ == '__main__':
    serve(OPS)
