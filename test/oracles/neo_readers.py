"""Neo (Debian's python3-neo, run by /usr/bin/python3) reading the files sortingview's relay reads:
an independent reader of SpikeGLX and phy folders, through oracle_protocol (runOracle.ts).

Ops:
- spikeglx {dirname, i_start, i_stop, channels}: SpikeGLXRawIO's signal stream of the one .ap.bin
  in dirname: sampling rate, channel names, per-channel gains (µV per bit) and units, frames, and the
  raw int16 samples [i_start, i_stop) of `channels` (indices into neo's channels, sync included).
- openephys {dirname, i_start, i_stop}: OpenEphysBinaryRawIO's first stream: rate, channel names,
  gains (bit_volts) and units, frames, and every channel's raw samples [i_start, i_stop).
- phy {dirname}: PhyRawIO's clusters (ids, ascending) and each one's spike frames, concatenated.
"""
import numpy as np
from neo.rawio import OpenEphysBinaryRawIO, PhyRawIO, SpikeGLXRawIO

from oracle_protocol import npy, serve


def spikeglx(case):
    r = SpikeGLXRawIO(dirname=case['dirname'])
    r.parse_header()
    streams = r.header['signal_streams']
    ap = [i for i, s in enumerate(streams) if str(s['name']).endswith('.ap')]
    if len(ap) != 1:
        raise ValueError(f'expected one AP stream, got {list(streams["name"])}')
    stream = ap[0]
    stream_id = streams[stream]['id']
    chans = r.header['signal_channels']
    chans = chans[chans['stream_id'] == stream_id]
    chunk = r.get_analogsignal_chunk(block_index=0, seg_index=0, i_start=case['i_start'], i_stop=case['i_stop'],
                                     stream_index=stream, channel_indexes=list(case['channels']))
    return {
        'sampling_rate': float(chans['sampling_rate'][0]),
        'channel_names': [str(n) for n in chans['name']],
        'gains': npy(chans['gain'].astype('float64')),
        'units': [str(u) for u in chans['units']],
        'num_frames': int(r.get_signal_size(block_index=0, seg_index=0, stream_index=stream)),
        'chunk': npy(np.asarray(chunk, dtype='int16')),
    }


def openephys(case):
    r = OpenEphysBinaryRawIO(dirname=case['dirname'])
    r.parse_header()
    stream_id = r.header['signal_streams'][0]['id']
    chans = r.header['signal_channels']
    chans = chans[chans['stream_id'] == stream_id]
    chunk = r.get_analogsignal_chunk(block_index=0, seg_index=0, i_start=case['i_start'], i_stop=case['i_stop'], stream_index=0)
    return {
        'sampling_rate': float(chans['sampling_rate'][0]),
        'channel_names': [str(n) for n in chans['name']],
        'gains': npy(chans['gain'].astype('float64')),
        'units': [str(u) for u in chans['units']],
        'num_frames': int(r.get_signal_size(block_index=0, seg_index=0, stream_index=0)),
        'chunk': npy(np.asarray(chunk, dtype='int16')),
    }


def phy(case):
    r = PhyRawIO(dirname=case['dirname'])
    r.parse_header()
    ids, frames, counts = [], [], []
    for i, label in enumerate(r.unit_labels):
        t = r.get_spike_timestamps(block_index=0, seg_index=0, spike_channel_index=i, t_start=None, t_stop=None)
        ids.append(int(label))
        frames.append(np.asarray(t, dtype='float64').ravel())
        counts.append(len(frames[-1]))
    return {'sampling_rate': float(r._sampling_frequency), 'unit_ids': ids, 'counts': counts,
            'frames': npy(np.concatenate(frames) if frames else np.zeros(0))}


serve({'spikeglx': spikeglx, 'openephys': openephys, 'phy': phy})
