#!/usr/bin/env python3
"""Independent numpy reference for core/kernels/spikeTrains (test oracle, not production code).

Usage: python3 spike_trains.py <dir>, through test/oracles/runOracle.ts (the protocol:
oracle_protocol.py). Any array in a case may be given inline as a JSON list or as a .npy file;
dict-of-trains are {"<unitId>": array}.

Each op re-implements the 2021 behaviour from its description (algorithms.md section 1 for phylib's
correlograms, spikemetrics' isi_violations, spikecomparison's two-sorter comparison, the 2021
get_firing_data rate string), written the numpy way (the shift loop, argsort + diff) so that it is
an independent check of the TypeScript kernels, which use different (merge / two-pointer) loops.
Where 2021 relied on an unstable argsort, this oracle pins the stable order the kernels document:
ties keep concatenation order (first group / first sorting / lower unit index first).
"""

import time
from decimal import Decimal

import numpy as np
from scipy.optimize import linear_sum_assignment

from oracle_protocol import serve


def as_train(x):
    return np.asarray(x, dtype=np.float64)


# --------------------------------------------------------------------------------------------
# phylib correlograms, written from algorithms.md section 1 (the numpy shift loop)
# --------------------------------------------------------------------------------------------

def phylib_ccg(spike_frames, spike_labels, cluster_ids, sample_rate, bin_size, window_size,
               symmetrize=True, seconds_roundtrip=True, remove_acg_peaks=False):
    frames = np.asarray(spike_frames, dtype=np.float64)
    if seconds_roundtrip:
        # sortingview passed frames / samplerate (seconds); phylib truncates t * sample_rate.
        spike_times = frames / sample_rate
        assert np.all(np.diff(spike_times) >= 0)
        s = (spike_times * sample_rate).astype(np.int64)
    else:
        assert np.all(np.diff(frames) >= 0)
        s = frames.astype(np.int64)
    bin_size = float(np.clip(bin_size, 1e-5, 1e5))
    binsize = int(sample_rate * bin_size)
    assert binsize >= 1
    window_size = float(np.clip(window_size, 1e-5, 1e5))
    winsize_bins = 2 * int(.5 * window_size / bin_size) + 1
    half = winsize_bins // 2
    cluster_ids = list(cluster_ids)
    index_of = {c: i for i, c in enumerate(cluster_ids)}
    clu = np.array([index_of[int(c)] for c in spike_labels], dtype=np.int64)
    K = len(cluster_ids)
    C = np.zeros((K, K, half + 1), dtype=np.int32)
    n = len(s)
    mask = np.ones(n, dtype=bool)
    shift = 1
    while shift < n and mask[:-shift].any():
        db = (s[shift:] - s[:-shift]) // binsize
        mask[:-shift][db > half] = False  # sticky: later neighbours are further away
        m = mask[:-shift].copy()
        idx = np.ravel_multi_index((clu[:-shift][m], clu[shift:][m], db[m]), C.shape)
        bc = np.bincount(idx)
        C.ravel()[:len(bc)] += bc.astype(np.int32)
        shift += 1
    if remove_acg_peaks:
        C[np.arange(K), np.arange(K), 0] = 0
    if not symmetrize:
        return C
    C[..., 0] = np.maximum(C[..., 0], C[..., 0].T)
    neg = np.transpose(C[..., 1:][..., ::-1], (1, 0, 2))
    return np.dstack((neg, C))


def op_ccg_labeled(c):
    C = phylib_ccg(as_train(c['spike_frames']), c['spike_labels'], c['cluster_ids'], c['sample_rate'],
                   c['bin_size'], c['window_size'], c.get('symmetrize', True),
                   c.get('seconds_roundtrip', True), c.get('remove_acg_peaks', False))
    return {'shape': list(C.shape), 'counts': C.ravel().tolist()}


def op_ccg_trains(c):
    trains = [as_train(t) for t in c['trains']]
    K = len(trains)
    kw = dict(sample_rate=c['sample_rate'], bin_size=c['bin_size'], window_size=c['window_size'],
              seconds_roundtrip=c.get('seconds_roundtrip', True),
              remove_acg_peaks=c.get('remove_acg_peaks', False))
    if c['pairs'] == 'auto-only':
        rows = [phylib_ccg(t, np.zeros(len(t), dtype=np.int64), [0], **kw)[0, 0] for t in trains]
        out = np.array(rows).reshape(K, -1)
    else:
        frames = np.concatenate(trains) if K else np.zeros(0)
        labels = np.concatenate([np.full(len(t), i) for i, t in enumerate(trains)]) if K else np.zeros(0)
        order = np.argsort(frames, kind='stable')  # ties: lower unit index first
        out = phylib_ccg(frames[order], labels[order], list(range(K)), **kw)
    return {'shape': list(out.shape), 'counts': out.ravel().tolist()}


# --------------------------------------------------------------------------------------------
# fetch_correlogram_plot_data.6 (genplot_autocorrelogram.py), with subsample_sorting
# --------------------------------------------------------------------------------------------

def subsample_trains(trains, sample_rate, segment_size_sec, num_segments):
    segment_size = np.floor(sample_rate * segment_size_sec)
    nonempty = [np.max(t) for t in trains.values() if len(t) > 0]  # 2021 crashed on empty units
    if len(nonempty) == 0:
        return trains
    max_time = np.floor(np.max(nonempty))
    if max_time <= segment_size * num_segments * 2:
        return trains
    interval = np.floor(max_time / num_segments)
    starts = [i * interval for i in range(num_segments)]
    ends = [i * interval + segment_size for i in range(num_segments)]
    out = {}
    for k, st in trains.items():
        parts = [st[(starts[i] <= st) & (st < ends[i])] for i in range(num_segments)]
        out[k] = np.concatenate(parts)
    return out


def group_train(trains, sel):
    if isinstance(sel, list):
        x = [trains[str(u)] for u in sel]
        return np.sort(np.concatenate(x)) if x else np.zeros(0)
    return trains[str(sel)]


def op_plot_data(c):
    trains = {k: as_train(v) for k, v in c['trains'].items()}
    sr = c['sample_rate']
    if c['subsample']:
        trains = subsample_trains(trains, sr, c.get('segment_size_sec', 10), c.get('num_segments', 100))
    ux, uy = c['unit_x'], c.get('unit_y')
    auto = uy is None or uy == ux  # Python equality: 3 == [3] is False
    times = group_train(trains, ux)
    labels = np.ones(times.shape, dtype=np.int32)
    cluster_ids = [1]
    if not auto:
        t2 = group_train(trains, uy)
        times = np.concatenate((times, t2))
        labels = np.concatenate((labels, np.full(t2.shape, 2, dtype=np.int32)))
        cluster_ids.append(2)
        inds = np.argsort(times, kind='stable')
        times, labels = times[inds], labels[inds]
    C = phylib_ccg(times, labels, cluster_ids, sr, 0.001, 0.05)
    bins = np.linspace(-50 / 2, 50 / 2, C.shape[2]).astype(np.float32)
    counts = C[0, 0, :] if auto else C[0, 1, :]
    return {'bins': bins.astype(float).tolist(), 'bin_counts': counts.astype(np.int32).tolist(),
            'bin_size_sec': 1 / 1000}


# --------------------------------------------------------------------------------------------
# spikemetrics.isi_violations (Hill et al. 2011), as called by get_isi_violation_rates
# --------------------------------------------------------------------------------------------

def isi_violations(spike_train, duration, isi_threshold, min_isi=0):
    spike_train = np.asarray(spike_train, dtype=np.float64)
    if min_isi > 0:
        dup = np.where(np.diff(spike_train) <= min_isi)[0]
        spike_train = np.delete(spike_train, dup + 1)
    isis = np.diff(spike_train)
    num_spikes = len(spike_train)
    num_violations = int(np.sum(isis < isi_threshold))
    violation_time = 2 * num_spikes * (isi_threshold - min_isi)
    total_rate = num_spikes / duration
    if violation_time == 0:
        return None, num_violations
    return (num_violations / violation_time) / total_rate, num_violations


def op_isi(c):
    sr = c['sample_rate']
    thr = c.get('isi_threshold_msec', 2.5) / 1000 * sr
    min_isi = c.get('min_isi_msec', 0) / 1000 * sr
    out = {}
    for k, st in c['trains'].items():
        rate, nv = isi_violations(np.sort(as_train(st)), c['num_frames'], thr, min_isi)
        out[k] = {'rate': rate, 'num_violations': nv}
    return out


def op_firing(c):
    elapsed = c['num_frames'] / c['sample_rate']
    out = {}
    for k, st in c['trains'].items():
        t = len(st)
        out[k] = {'count': t, 'rate': f"{Decimal(t / elapsed).quantize(Decimal('.01'))}"}
    return out


def op_decimal_rates(c):
    return [f"{Decimal(float(x)).quantize(Decimal('.01'))}" for x in c['values']]


# --------------------------------------------------------------------------------------------
# spikecomparison two-sorter comparison (count_matching_events, agreement, best / hungarian match)
# --------------------------------------------------------------------------------------------

def count_matching_events(t1, t2, delta):
    times = np.concatenate((t1, t2))
    member = np.concatenate((np.ones(len(t1)), np.full(len(t2), 2.0)))
    order = np.argsort(times, kind='stable')  # 2021 used the default (unstable) sort
    times, member = times[order], member[order]
    inds = np.where((np.diff(times) <= delta) & (member[:-1] != member[1:]))[0]
    if len(inds) == 0:
        return 0
    return int(np.sum(inds[:-1] + 1 != inds[1:])) + 1


def op_comparison(c):
    trains1 = [as_train(t) for t in c['trains1']]
    trains2 = [as_train(t) for t in c['trains2']]
    delta_frames = int(c.get('delta_time_ms', 0.4) / 1000 * c['sample_rate'])
    K1, K2 = len(trains1), len(trains2)
    M = np.zeros((K1, K2), dtype=np.int64)
    for i in range(K1):
        for j in range(K2):
            M[i, j] = count_matching_events(trains1[i], trains2[j], delta_frames)
    n1 = np.array([len(t) for t in trains1], dtype=np.int64)
    n2 = np.array([len(t) for t in trains2], dtype=np.int64)
    denom = n1[:, None] + n2[None, :] - M
    denom[denom == 0] = -1
    A = M / denom
    chance, match = c.get('chance_score', 0.1), c.get('match_score', 0.5)
    best12 = [-1] * K1
    best21 = [-1] * K2
    if K2 > 0:
        for i in range(K1):
            j = int(np.argmax(A[i, :]))
            best12[i] = j if A[i, j] >= chance else -1
    if K1 > 0:
        for j in range(K2):
            i = int(np.argmax(A[:, j]))
            best21[j] = i if A[i, j] >= chance else -1
    S = A.copy()
    S[S < match] = 0
    h12 = [-1] * K1
    h21 = [-1] * K2
    if K1 > 0 and K2 > 0:
        r, cc = linear_sum_assignment(-S)
        for i, j in zip(r, cc):
            if A[i, j] >= match:
                h12[i] = int(j)
                h21[j] = int(i)
    return {'delta_frames': delta_frames, 'match_counts': M.ravel().tolist(),
            'agreement': [float(x) for x in A.ravel()], 'best12': best12, 'best21': best21,
            'hungarian12': h12, 'hungarian21': h21}


def op_lsa(c):
    S = np.asarray(c['scores'], dtype=np.float64).reshape(c['rows'], c['cols'])
    r, cc = linear_sum_assignment(-S)
    return {'total': float(S[r, cc].sum()), 'rows': r.tolist(), 'cols': cc.tolist()}


def op_bench_ccg_auto(c):
    """Timing only: phylib's shift loop for every unit's ACG, and once over all spikes (K x K)."""
    frames = as_train(c['spike_frames'])
    labels = np.asarray(c['spike_labels'], dtype=np.int64)
    K = int(labels.max()) + 1
    t0 = time.perf_counter()
    for k in range(K):
        t = frames[labels == k]
        phylib_ccg(t, np.zeros(len(t), dtype=np.int64), [0], c['sample_rate'], 0.001, 0.05)
    t_auto = time.perf_counter() - t0
    t_all = None
    if c.get('all_pairs', False):
        order = np.argsort(frames, kind='stable')
        t0 = time.perf_counter()
        phylib_ccg(frames[order], labels[order], list(range(K)), c['sample_rate'], 0.001, 0.05)
        t_all = time.perf_counter() - t0
    return {'auto_only_sec': t_auto, 'all_pairs_sec': t_all}


# --------------------------------------------------------------------------------------------
# ISI histogram and firing rate over time (sortingview.fetch_isi_histogram.1 / fetch_firing_rate.1)
# --------------------------------------------------------------------------------------------

def op_isi_histogram(c):
    """np.histogram-style counts of np.diff(np.sort(train)) on edges np.arange(n + 1) * b, half-open bins."""
    sr, b_ms, max_ms = c['sample_rate'], c['bin_size_msec'], c['max_isi_msec']
    n = int(round(max_ms / b_ms))
    edges = np.arange(n + 1) * (b_ms / 1000 * sr)
    out = {}
    for k, st in c['trains'].items():
        isis = np.diff(np.sort(as_train(st)))
        inside = isis[isis < edges[-1]]
        idx = np.searchsorted(edges, inside, side='right') - 1
        counts = np.bincount(idx, minlength=n)
        out[k] = {'counts': counts.astype(int).tolist(), 'num_isis': int(len(isis)), 'num_above': int(np.sum(isis >= edges[-1]))}
    return out


def op_firing_rate(c):
    """Spike counts on edges k * b (k < n) and the recording's end, n = max(1, largest n with n * b <= end)."""
    sr = c['sample_rate']
    end = c['duration_sec'] * sr
    b = c['bin_size_sec'] * sr
    n = 0
    while (n + 1) * b <= end:
        n += 1
    n = max(1, n)
    edges = np.arange(n + 1) * b
    edges[n] = end
    out = {}
    for k, st in c['trains'].items():
        t = as_train(st)
        inside = t[(t >= 0) & (t < end)]
        idx = np.searchsorted(edges, inside, side='right') - 1
        counts = np.bincount(idx, minlength=n)
        out[k] = {'edges_sec': (edges / sr).tolist(), 'counts': counts.astype(int).tolist(),
                  'rates_hz': (counts / (np.diff(edges) / sr)).tolist(), 'num_outside': int(len(t) - len(inside))}
    return out


OPS = {
    'ccg_labeled': op_ccg_labeled,
    'ccg_trains': op_ccg_trains,
    'plot_data': op_plot_data,
    'isi': op_isi,
    'firing': op_firing,
    'decimal_rates': op_decimal_rates,
    'comparison': op_comparison,
    'lsa': op_lsa,
    'bench_ccg_auto': op_bench_ccg_auto,
    'isi_histogram': op_isi_histogram,
    'firing_rate': op_firing_rate,
}


if __name__ == '__main__':
    serve(OPS)
