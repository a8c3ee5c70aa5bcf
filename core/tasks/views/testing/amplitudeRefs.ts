/** Test-only re-exports for the amplitude tests. */
export {
  amplitudeFramesToGather, amplitudeWindow, AVERAGE_WAVEFORM_MAX_SPIKES, designBandpass, extractSnippets, filterBlock, makeSnippets, meanSnippet,
  peakChannelIndex, spikeAmplitudes, uniqueSorted,
} from '../../../kernels/waveforms';
export { synthRecording as synthRecordingForTests } from '../../../kernels/waveforms/testing/synth';
