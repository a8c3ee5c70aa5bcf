import type { BandpassFilterSpec, SubrecordingData } from '../../core/protocol/dataObjects';
import { checkSnippetRequest, checkTraceRange } from './gather';
import { FormatError, RequestError, type BandpassFilter, type RecordingReader } from './types';

/**
 * `subrecording`: a channel subset (`channel_ids` in the order given, or every channel whose group is
 * `group`, or all) and a frame window [start_frame, end_frame) of the parent; frame 0 of the
 * subrecording is the parent's start_frame. Bytes come from the parent unchanged.
 */
export function subrecordingReader(parent: RecordingReader, d: SubrecordingData, name = 'subrecording'): RecordingReader {
  const p = parent.info;
  const index = new Map(p.channelIds.map((id, i) => [id, i]));
  let rows: number[];
  if (d.channel_ids) {
    rows = d.channel_ids.map((id) => {
      const i = index.get(id);
      if (i === undefined) throw new FormatError(name, `channel_ids names channel ${id}, which the parent recording does not have`);
      return i;
    });
  } else if (d.group !== undefined) {
    rows = p.channelGroups.flatMap((g, i) => (g === d.group ? [i] : []));
    if (rows.length === 0) throw new FormatError(name, `group ${d.group} has no channels (groups: ${[...new Set(p.channelGroups)].join(', ')})`);
  } else {
    rows = p.channelIds.map((_, i) => i);
  }
  const start = d.start_frame ?? 0;
  const end = d.end_frame ?? p.numFrames;
  if (end > p.numFrames || start > end) throw new FormatError(name, `frames [${start}, ${end}) are not inside the parent's [0, ${p.numFrames})`);
  const channelIds = rows.map((i) => p.channelIds[i]);
  const allowed = new Set(channelIds);
  const numFrames = end - start;
  const check = (ids: number[]) => {
    for (const id of ids) if (!allowed.has(id)) throw new RequestError(`channel ${id} is not in ${name} (channels: ${channelIds.join(', ')})`);
  };
  return {
    info: {
      ...p,
      numFrames,
      channelIds,
      channelGroups: rows.map((i) => p.channelGroups[i]),
      geom: rows.map((i) => p.geom[i]),
      ...(p.channelGainsUvPerBit ? { channelGainsUvPerBit: rows.map((i) => p.channelGainsUvPerBit![i]) } : {}),
    },
    filters: parent.filters,
    async readTraces(s, e, ids) {
      checkTraceRange(s, e, numFrames, name);
      check(ids);
      return parent.readTraces(s + start, e + start, ids);
    },
    async readSnippets(frames, before, after, ids) {
      checkSnippetRequest(frames, before, after, numFrames, name);
      check(ids);
      return parent.readSnippets(start === 0 ? frames : frames.map((f) => f + start), before, after, ids);
    },
    close: () => parent.close(),
  };
}

/** spiketoolkit's default transition width when `freq_wid` is absent. */
export const DEFAULT_FREQ_WID_HZ = 1000;

export function toBandpassFilter(f: BandpassFilterSpec): BandpassFilter {
  return { type: 'bandpass_filter', freqMinHz: f.freq_min, freqMaxHz: f.freq_max, freqWidHz: f.freq_wid ?? DEFAULT_FREQ_WID_HZ };
}

/**
 * `filtered`: the parent's raw bytes, with the filters the worker must apply appended (outermost
 * last). The relay never filters: it serves only what it reads.
 */
export function filteredReader(parent: RecordingReader, filters: BandpassFilterSpec[]): RecordingReader {
  return { ...parent, filters: [...parent.filters, ...filters.map(toBandpassFilter)] };
}
