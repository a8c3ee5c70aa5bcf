import { describe, expect, it } from 'vitest';
import { centreOfMass } from './unitLocation';

/** A [M][T] mean waveform whose channel m is a spike of amplitude amps[m]. */
function waveform(amps: number[], locs: [number, number][], T = 8) {
  const data = new Float32Array(amps.length * T);
  amps.forEach((a, m) => { data[m * T + 3] = -a; data[m * T + 4] = a / 2; });
  return { average_waveform: { data, shape: [amps.length, T] }, channel_locations: { data: Float32Array.from(locs.flat()) } };
}

describe('centreOfMass', () => {
  it('is the peak-to-peak weighted mean of the channel positions', () => {
    // ptp 150, 75, 75 at (0,0), (20,0), (0,40): x = 75·20/300 = 5, y = 75·40/300 = 10.
    const c = centreOfMass(waveform([100, 50, 50], [[0, 0], [20, 0], [0, 40]]))!;
    expect(c.x).toBeCloseTo(5, 5);
    expect(c.y).toBeCloseTo(10, 5);
  });
  it('leaves out channels farther than the radius from the largest', () => {
    const c = centreOfMass(waveform([100, 100, 90], [[0, 0], [0, 20], [0, 500]]))!;
    expect(c.y).toBeCloseTo(10, 5);
  });
  it('a single channel is its position; a flat waveform has none', () => {
    expect(centreOfMass(waveform([10], [[43, 1000]]))).toEqual({ x: 43, y: 1000 });
    expect(centreOfMass(waveform([0, 0], [[0, 0], [0, 20]]))).toBeNull();
  });
});
