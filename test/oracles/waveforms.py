#!/usr/bin/env python3
"""Independent numpy/scipy reference for core/kernels/waveforms.

Usage: python3 waveforms.py DIR, through test/oracles/runOracle.ts (the protocol:
oracle_protocol.py): each case is {"op", ...params}, arrays arrive as numpy arrays, large outputs
go back as .npy files.

Each computation is re-implemented from the written description of the task (sortingview 2021
semantics plus the conventions pinned in the kernels' doc comments), in plain numpy, not ported from
the TypeScript: sampling, snippet extraction, means, neighbourhoods, SVD-based PCA, scipy's own
butter/sosfiltfilt.
"""
import math

import numpy as np
import scipy.signal as sig

from oracle_protocol import npy, serve

arr = np.asarray


# ---- deterministic sampling (the spec: FNV-1a seed, mulberry32, partial Fisher-Yates) ----

def fnv1a32(s):
    h = 0x811C9DC5
    for ch in s:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def seed_for(unit_ids):
    ids = sorted(set(int(u) for u in unit_ids))
    return fnv1a32(','.join(str(i) for i in ids))


def mulberry32(seed):
    state = [seed & 0xFFFFFFFF]

    def nxt():
        state[0] = (state[0] + 0x6D2B79F5) & 0xFFFFFFFF
        t = state[0]
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296.0
    return nxt


def sample(times, unit_ids, num_frames, before, after, max_spikes):
    times = np.asarray(times, dtype=np.float64)
    ok = (times - before >= 0) & (times + after <= num_frames)
    t = np.sort(times[ok])
    n = len(t)
    if n <= max_spikes:
        return t
    idx = list(range(n))
    rnd = mulberry32(seed_for(unit_ids))
    for i in range(max_spikes):
        j = i + int(math.floor(rnd() * (n - i)))
        idx[i], idx[j] = idx[j], idx[i]
    return t[np.sort(np.array(idx[:max_spikes]))]


def snippets(traces, frames, before, after, cols):
    """[S][T][C] float64, windows [t - before, t + after) on channel indices cols."""
    if len(frames) == 0:
        return np.zeros((0, before + after, len(cols)))
    return np.stack([traces[int(f) - before:int(f) + after, :][:, cols] for f in frames]).astype(np.float64)


def unit_times(case):
    return np.concatenate([arr(t).astype(np.float64) for t in case['times']]) if case['times'] else np.zeros(0)


def sampled_snippets(case, traces, max_key='maxSpikes'):
    before, after = case['snippetLen']
    frames = sample(unit_times(case), case['unitIds'], case['numFrames'], before, after, case[max_key])
    cols = np.array(case['cols'], dtype=int)
    return frames, cols, snippets(traces, frames, before, after, cols)


def neighborhood(geom, cols, peak_rec, max_size):
    g = geom[cols]
    d2 = ((g - geom[peak_rec]) ** 2).sum(axis=1)
    order = np.lexsort((cols, d2, cols != peak_rec))  # peak first, then distance, then index
    return cols[order][:max_size]


# ---- ops ----

def k_noise(case):
    x = arr(case['traces']).astype(np.float64)
    med = np.median(x, axis=0)
    return (np.median(np.abs(x - med), axis=0) / 0.6745).tolist()


def k_neighborhood(case):
    geom = np.array(case['geom'], dtype=np.float64)
    cols = np.array(case.get('candidates', list(range(len(geom)))), dtype=int)
    return neighborhood(geom, cols, case['peak'], case['maxSize']).tolist()


def k_sample(case):
    return sample(arr(case['times']), case['unitIds'], case['numFrames'], case['before'], case['after'], case['maxSpikes']).tolist()


def k_average(case):
    traces = arr(case['traces'])
    frames, cols, W = sampled_snippets(case, traces)
    if len(frames) == 0:
        return {'error': 'empty'}
    geom = np.array(case['geom'], dtype=np.float64)
    chan_ids = np.array(case['channelIds'])
    mean = W.mean(axis=0)  # [T][C]
    ptp = mean.max(axis=0) - mean.min(axis=0)
    peak = int(np.argmax(ptp))
    nb = neighborhood(geom, cols, cols[peak], case.get('maxSize', 15))
    pos = [int(np.where(cols == r)[0][0]) for r in nb]
    gain = case.get('gain')
    wave = mean[:, pos].T
    if gain is not None:
        wave = wave * gain + case.get('offset', 0.0)
    return {
        'frames': frames.tolist(),
        'average_waveform': wave.tolist(),
        'channel_ids': chan_ids[nb].tolist(),
        'channel_locations': geom[nb][:, :2].tolist(),
        'num_spikes': len(frames),
        'peak_channel_id': int(chan_ids[cols[peak]]),
    }


def k_snr(case):
    traces = arr(case['traces'])
    frames, cols, W = sampled_snippets(case, traces)
    if len(frames) == 0:
        return {'snr': None, 'peak': None}
    mean = W.mean(axis=0)
    ptp = mean.max(axis=0) - mean.min(axis=0)
    peak = int(np.argmax(ptp))
    resid = W[:, :, peak] - mean[:, peak]
    noise = np.median(np.abs(resid)) / 0.6745
    snr = None if noise == 0 else float(ptp[peak] / noise)
    return {'snr': snr, 'peak': int(np.array(case['channelIds'])[cols[peak]])}


def k_amplitudes(case):
    traces = arr(case['traces'])
    before, after = case['snippetLen']
    frames, cols, W = sampled_snippets(case, traces)
    mean = W.mean(axis=0)
    peak = int(np.argmax(mean.max(axis=0) - mean.min(axis=0)))
    w = mean[:, peak]
    T = len(w)
    base = np.median(w)
    main = int(np.argmax(np.abs(w - base)))
    lo_r, hi_r = max(0, main - case['span']), min(T - 1, main + case['span'])
    seg = w[lo_r:hi_r + 1]
    other = lo_r + int(np.argmax(seg) if w[main] < base else np.argmin(seg))
    lo = max(-before, min(min(main, other) - case['pad'] - before, 0))
    hi = min(after, max(max(main, other) + case['pad'] + 1 - before, 1))
    wb, wa = -lo, hi
    ch = cols[peak]
    t = np.sort(unit_times(case))
    t = t[(t - wb >= 0) & (t + wa <= case['numFrames'])]
    amps = np.array([np.ptp(traces[int(f) - wb:int(f) + wa, ch].astype(np.float64)) for f in t])
    gain = case.get('gain')
    if gain is not None:
        amps = amps * gain
    return {'window': [wb, wa], 'peakColumn': peak, 'timepoints': t.tolist(), 'amplitudes': amps.tolist()}


def sign_fix(vt):
    """Pin signs: each component's largest-|loading| entry positive (first within 1e-9 of the largest)."""
    for i in range(vt.shape[0]):
        a = np.abs(vt[i])
        big = int(np.flatnonzero(a >= a.max() * (1 - 1e-9))[0])  # first of the (near-)largest
        if vt[i, big] < 0:
            vt[i] = -vt[i]
    return vt


def features(W):
    """Each snippet's channels minus their time-mean, flattened [S][T*C]."""
    W = W - W.mean(axis=1, keepdims=True)
    return W.reshape(W.shape[0], -1)


def pca(X, k):
    Xc = X - X.mean(axis=0)
    _, s, vt = np.linalg.svd(Xc, full_matrices=False)
    vt = sign_fix(vt[:k].copy())
    scores = np.zeros((X.shape[0], k))
    scores[:, :vt.shape[0]] = Xc @ vt.T
    # Components at round-off level are not components: zero them, as the kernel does.
    for i in range(k):
        if i >= len(s) or s[i] ** 2 <= 1e-12 * s[0] ** 2:
            scores[:, i] = 0
    return scores


def k_pca(case):
    traces = arr(case['traces'])
    frames, cols, W = sampled_snippets(case, traces)
    sc = pca(features(W), 2)
    return {'timepoints': frames.tolist(), 'x': sc[:, 0].tolist(), 'y': sc[:, 1].tolist()}


def k_pair(case):
    traces = arr(case['traces'])
    a, b = case['a'], case['b']
    for side in (a, b):
        side.update(snippetLen=case['snippetLen'], numFrames=case['numFrames'], maxSpikes=case['maxSpikes'])
    f1, cols1, W1 = sampled_snippets(a, traces)
    f2, cols2, W2 = sampled_snippets(b, traces)
    ids1, ids2 = list(cols1), list(cols2)
    common = [c for c in ids1 if c in ids2]
    if not common:
        return {'error': 'no common channels'}
    W1 = W1[:, :, [ids1.index(c) for c in common]]
    W2 = W2[:, :, [ids2.index(c) for c in common]]
    avg1, avg2 = W1.mean(axis=0), W2.mean(axis=0)
    d = avg2 - avg1
    x = np.concatenate([(W1 * d).sum(axis=(1, 2)), (W2 * d).sum(axis=(1, 2))])
    resid = np.concatenate([W1 - avg1, W2 - avg2])
    y = pca(features(resid), 1)[:, 0]
    if np.std(x) > 0:
        x = x / np.std(x)
    if np.std(y) > 0:
        y = y / np.std(y)
    return {
        'timepoints': np.concatenate([f1, f2]).tolist(), 'x': x.tolist(), 'y': y.tolist(),
        'labels': [a['label']] * len(f1) + [b['label']] * len(f2),
    }


def k_similarity(case):
    tps = []
    for tp in case['templates']:
        w = np.array(tp['waveform'], dtype=np.float64).reshape(len(tp['channelIds']), -1)
        tps.append({cid: row - row.mean() for cid, row in zip(tp['channelIds'], w)})
    T = case['T']
    L = case['maxLag']
    K = len(tps)
    out = np.zeros((K, K))
    for i in range(K):
        for j in range(K):
            union = sorted(set(tps[i]) | set(tps[j]))
            A = np.array([tps[i].get(c, np.zeros(T)) for c in union]).reshape(len(union), T)
            B = np.array([tps[j].get(c, np.zeros(T)) for c in union]).reshape(len(union), T)
            best = None
            for lag in range(-L, L + 1):
                t0, t1 = max(0, -lag), min(T, T - lag)
                a = A[:, t0:t1].ravel()
                b = B[:, t0 + lag:t1 + lag].ravel()
                na, nb = np.linalg.norm(a), np.linalg.norm(b)
                if na > 0 and nb > 0:
                    c = float(a @ b / (na * nb))
                    best = c if best is None else max(best, c)
            out[i, j] = 0.0 if best is None else best
    return out.tolist()


def k_butter(case):
    sos = sig.butter(case['order'], [case['fmin'], case['fmax']], btype='bandpass', fs=case['fs'], output='sos')
    z, p, k = sig.butter(case['order'], [case['fmin'], case['fmax']], btype='bandpass', fs=case['fs'], output='zpk')
    return {'sos': sos.tolist(), 'zi': sig.sosfilt_zi(sos).tolist(), 'maxPoleRadius': float(np.abs(p).max())}


def k_filtfilt(case):
    x = arr(case['traces']).astype(np.float64)
    sos = sig.butter(case['order'], [case['fmin'], case['fmax']], btype='bandpass', fs=case['fs'], output='sos')
    return npy(sig.sosfiltfilt(sos, x, axis=0))


def k_minmax(case):
    x = arr(case['traces']).astype(np.float64)  # the whole recording, [F][C]
    F = x.shape[0]
    ds, num, size = case['ds'], case['segmentNum'], case['segmentSize']
    t1 = min(num * size * ds, F)
    t2 = min((num + 1) * size * ds, F)
    seg = x[t1:t2]
    if ds == 1:
        return seg.T.tolist()
    nb = -(-(t2 - t1) // ds)
    out = np.zeros((x.shape[1], 2 * nb))
    for b in range(nb):
        blk = seg[b * ds:(b + 1) * ds]
        out[:, 2 * b] = blk.min(axis=0)
        out[:, 2 * b + 1] = blk.max(axis=0)
    return out.tolist()


OPS = {name[2:]: fn for name, fn in globals().items() if name.startswith('k_')}


if __name__ == '__main__':
    serve(OPS)
