import type { SpikeTrains } from '../../data/decode';
import { firingData, isiViolationRates } from '../../kernels/spikeTrains';
import { MAX_NEIGHBORHOOD_SIZE, peakChannelIndex, unitPeakChannel, unitSnr, type Snippets } from '../../kernels/waveforms';
import { DEFAULT_ISI_THRESHOLD_MSEC, type SnippetLen, type UnitSelection, type UnitsTableKwargs } from '../contracts/kwargs';
import { firingDataContract, isiViolationRatesContract, mergeGroupSummaryContract, peakChannelsContract, unitSnrsContract, unitsSummaryContract } from '../contracts/unitsTable';
import { implement, type TaskContext } from '../types';
import { loadRecordingAndSorting, selectionTimes, snippetLenOf, type RecordingRef } from './common';
import { forEachUnitMean, forEachUnitSample, unitNeighborhoods, waveformSetup } from './unitWaveforms';

/**
 * The units table (2021 `Units.tsx` metric plugins): each task takes `{recording_uri, sorting_uri,
 * snippet_len?, configuration?}` and answers `{[unitId]: value}` for every unit of the sorting.
 * `sortingview.units_summary.1` answers every column in one call, from one gather.
 *
 * Rounds: 1. `recordingInfo` + `sorting`. Peak channels and SNRs then gather snippets
 * (unitWaveforms.ts): 2. round A on all channels (probes of > 15 channels only), 3. round B on
 * each unit's neighbourhood. Counts, rates and ISI violations need round 1 only.
 * Rates use the recording's sampling frequency and length (2021: count / (num_frames / fs)).
 */

/** get_firing_data.1 → `{uid: {count, rate}}`, `rate` a 2-decimal string as in 2021. */
export const firingDataTask = implement(firingDataContract, async (k, ctx) => {
  const { recording, sorting } = await loadRecordingAndSorting(ctx, k.recording_uri, k.sorting_uri);
  return firingData({ spikeTrains: sorting.trains, numFrames: recording.info.numFrames, sampleRateHz: recording.info.sampleRateHz });
});

/** get_isi_violation_rates.1 → `{uid: rate | null}` (Hill et al.; `configuration.isi_threshold_msec`, default 2.5; null for an empty unit). */
export const isiViolationRatesTask = implement(isiViolationRatesContract, async (k, ctx) => {
  const { recording, sorting } = await loadRecordingAndSorting(ctx, k.recording_uri, k.sorting_uri);
  return isiViolationRates({
    spikeTrains: sorting.trains, numFrames: recording.info.numFrames, sampleRateHz: recording.info.sampleRateHz,
    isiThresholdMsec: k.configuration?.isi_threshold_msec ?? DEFAULT_ISI_THRESHOLD_MSEC,
  });
});

interface WaveformMetrics { peak_channel: number | null; snr: number | null }

/**
 * Spikes per unit behind the table's peak channel and SNR: the first 100 of the unit's 500-spike
 * average-waveform sample (samples are nested), so the table's peak is the waveform view's except on
 * near-ties. A table covers every unit; at 500 spikes it would read about the whole recording for a
 * few hundred units (the first-view benchmark: 10 min × 384 channels, 300 units), at 100 a fifth of it.
 * The SNR's noise is the MAD of 100 × T residuals, its amplitude the mean's peak-to-peak (error ~noise/10).
 */
export const UNITS_TABLE_SPIKES = 100;

/**
 * Peak channel and SNR of each selection (a unit, or a merge group's union of spikes), from its first
 * UNITS_TABLE_SPIKES sampled spikes.
 * The relay sends each unit's summed sample plus its snippets on the rough peak of round A (the first
 * channel of its neighbourhood); the SNR needs every spike on the final peak, which is that channel
 * for nearly every unit. The few whose mean peaks elsewhere are asked again on their final peak.
 */
async function waveformMetrics(ctx: TaskContext, recording: RecordingRef, sorting: SpikeTrains, selections: UnitSelection[], snippetLen: SnippetLen) {
  const setup = waveformSetup(recording, snippetLen);
  const units = selections.map((selection) => ({ selection, times: selectionTimes(sorting, selection) }));
  const nbhds = await unitNeighborhoods(ctx, setup, units, { adaptive: true });
  const none: WaveformMetrics = { peak_channel: null, snr: null };
  if (recording.info.channelIds.length <= MAX_NEIGHBORHOOD_SIZE) {
    // No round A, so no rough peak to send snippets on; a small probe's whole sample is small anyway.
    const { results, spikesPerUnit } = await forEachUnitSample(ctx, setup, units, nbhds,
      (_, s, channelIds): WaveformMetrics => ({ peak_channel: unitPeakChannel(s, channelIds), snr: unitSnr(s) }), { adaptive: true, maxSpikes: UNITS_TABLE_SPIKES });
    return { metrics: units.map((_, i) => results[i] ?? none), spikesPerUnit };
  }
  const roughPeak = (u: number) => nbhds[u]![0];
  const first = await forEachUnitMean(ctx, setup, units, nbhds, (u, m, channelIds) => {
    const col = peakChannelIndex(m.mean, m.numSamples, m.numChannels);
    if (col < 0) return { peak_channel: null, snr: null };
    const peak = channelIds[col];
    // undefined: the SNR needs the snippets on a channel not sent yet.
    return { peak_channel: peak, snr: peak === roughPeak(u) ? snrOf(m.detail) : undefined };
  }, { adaptive: true, maxSpikes: UNITS_TABLE_SPIKES, detailChannel: roughPeak });
  const metrics = first.results;
  const again = units.map((_, u) => u).filter((u) => metrics[u] && metrics[u].snr === undefined);
  if (again.length) {
    const second = await forEachUnitMean(ctx, setup, again.map((u) => units[u]), again.map((u) => nbhds[u]), (_, m) => snrOf(m.detail),
      { adaptive: true, maxSpikes: first.spikesPerUnit, detailChannel: (i) => metrics[again[i]]!.peak_channel! });
    again.forEach((u, i) => (metrics[u]!.snr = second.results[i] ?? null));
  }
  return { metrics: units.map((_, i): WaveformMetrics => ({ peak_channel: metrics[i]?.peak_channel ?? null, snr: metrics[i]?.snr ?? null })), spikesPerUnit: first.spikesPerUnit };
}

/** Every unit of the sorting: its waveform metrics by unit id. */
async function sortingWaveformMetrics(k: UnitsTableKwargs, ctx: TaskContext) {
  const { recording, sorting } = await loadRecordingAndSorting(ctx, k.recording_uri, k.sorting_uri);
  const { metrics, spikesPerUnit } = await waveformMetrics(ctx, recording, sorting, sorting.unitIds, snippetLenOf(k));
  return { recording, sorting, byUnit: new Map(sorting.unitIds.map((id, i) => [id, metrics[i]!])), spikesPerUnit };
}

const snrOf = (detail: Snippets | undefined) => (detail ? unitSnr(detail) : null);

const perUnit = <T>(ids: number[], f: (id: number) => T): Record<string, T> => Object.fromEntries(ids.map((id) => [String(id), f(id)]));

/** get_peak_channels.1 → `{uid: channelId | null}`: argmax peak-to-peak of the unit's mean snippet (null: no spikes to average). */
export const peakChannelsTask = implement(peakChannelsContract, async (k, ctx) => {
  const { sorting, byUnit } = await sortingWaveformMetrics(k, ctx);
  return perUnit(sorting.unitIds, (id) => byUnit.get(id)!.peak_channel);
});

/** get_unit_snrs.1 → `{uid: snr | null}`: 2021's estimator on the peak channel (null: no spikes, one spike, flat channel). */
export const unitSnrsTask = implement(unitSnrsContract, async (k, ctx) => {
  const { sorting, byUnit } = await sortingWaveformMetrics(k, ctx);
  return perUnit(sorting.unitIds, (id) => byUnit.get(id)!.snr);
});

/**
 * sortingview.units_summary.1 → `{unit_ids, units: {uid: {count, rate, firing_rate_hz,
 * isi_violation_rate, peak_channel, snr}}, num_frames, sampling_frequency, isi_threshold_msec,
 * snippet_len, spikes_per_unit}`: every column of the units table from one gather, values equal to
 * the single-metric tasks'. `spikes_per_unit` is the sample size (UNITS_TABLE_SPIKES, fewer for very large sortings).
 */
export const unitsSummaryTask = implement(unitsSummaryContract, async (k, ctx) => {
  const { recording, sorting, byUnit, spikesPerUnit } = await sortingWaveformMetrics(k, ctx);
  const { numFrames, sampleRateHz } = recording.info;
  const isiThresholdMsec = k.configuration?.isi_threshold_msec ?? DEFAULT_ISI_THRESHOLD_MSEC;
  const firing = firingData({ spikeTrains: sorting.trains, numFrames, sampleRateHz });
  const isi = isiViolationRates({ spikeTrains: sorting.trains, numFrames, sampleRateHz, isiThresholdMsec });
  return {
    unit_ids: sorting.unitIds,
    units: perUnit(sorting.unitIds, (id) => ({
      count: firing[String(id)].count,
      rate: firing[String(id)].rate,
      firing_rate_hz: firing[String(id)].count / (numFrames / sampleRateHz),
      isi_violation_rate: isi[String(id)],
      ...byUnit.get(id)!,
    })),
    num_frames: numFrames,
    sampling_frequency: sampleRateHz,
    isi_threshold_msec: isiThresholdMsec,
    snippet_len: [...snippetLenOf(k)],
    spikes_per_unit: spikesPerUnit,
  };
});

/**
 * sortingview.merge_group_summary.1 → the units table's row of a merge group: every column computed
 * on the union of its units' spikes exactly as units_summary.1 computes a unit's (the waveform
 * metrics from the merged unit's own sample; ISI violations of the merged train, where spikes of two
 * members closer than the refractory period count as violations, as they would after the merge).
 */
export const mergeGroupSummaryTask = implement(mergeGroupSummaryContract, async (k, ctx) => {
  const { recording, sorting } = await loadRecordingAndSorting(ctx, k.recording_uri, k.sorting_uri);
  const group = k.unit_ids;
  const { metrics, spikesPerUnit } = await waveformMetrics(ctx, recording, sorting, [group], snippetLenOf(k));
  const { numFrames, sampleRateHz } = recording.info;
  const merged = new Map([[group[0]!, selectionTimes(sorting, group)]]);
  const firing = firingData({ spikeTrains: merged, numFrames, sampleRateHz })[String(group[0])]!;
  const isi = isiViolationRates({ spikeTrains: merged, numFrames, sampleRateHz, isiThresholdMsec: k.configuration?.isi_threshold_msec ?? DEFAULT_ISI_THRESHOLD_MSEC });
  return {
    count: firing.count,
    rate: firing.rate,
    firing_rate_hz: firing.count / (numFrames / sampleRateHz),
    isi_violation_rate: isi[String(group[0])]!,
    ...metrics[0]!,
    spikes_per_unit: spikesPerUnit,
  };
});
