import { describe, expect, it } from 'vitest';
import { unitMetricsTask } from './unitMetrics';
import { METRICS_URI, runRounds, testDataset } from './testing/fakeRelay';

const data = testDataset();
const put = (value: unknown) => data.relay.files.set(METRICS_URI, new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value)));

describe('fetch_unit_metrics.1', () => {
  it('one round (a file chunk); the metrics, validated, unknown keys dropped', async () => {
    put([{ name: 'isolation', label: 'Isolation', tooltip: 'Isolation score', data: { 1: 0.91, 2: 0.5, 3: null }, color: 'red' }, { name: 'noise_overlap', label: 'Noise overlap', data: {} }]);
    const { result, rounds } = await runRounds(unitMetricsTask, { unit_metrics_uri: METRICS_URI }, data.relay);
    expect(rounds).toEqual([[{ type: 'file', uri: METRICS_URI }]]);
    expect(result).toEqual([
      { name: 'isolation', label: 'Isolation', tooltip: 'Isolation score', data: { 1: 0.91, 2: 0.5, 3: null } },
      { name: 'noise_overlap', label: 'Noise overlap', data: {} },
    ]);
  });

  it.each([
    ['not JSON', 'isolation,0.9', /is not a JSON file/],
    ['an object, not a list', { name: 'x', label: 'x', data: {} }, /\(top level\): /],
    ['a string metric value', [{ name: 'x', label: 'x', data: { 1: 'high' } }], /0\.data\.1: /],
    ['a non-integer unit key', [{ name: 'x', label: 'x', data: { secretKey: 1 } }], /0\.data\.…: Invalid key/],
    ['no name', [{ label: 'x', data: {} }], /0\.name: /],
  ])('refuses a file that is %s, naming where, not what', async (_, content, message) => {
    put(content);
    const err = await runRounds(unitMetricsTask, { unit_metrics_uri: METRICS_URI }, data.relay).catch((e) => e);
    expect(err.message).toMatch(message);
    expect(err.message).not.toMatch(/high|isolation,0\.9|secretKey/);
  });

  it('a missing file is the relay\'s error', async () => {
    await expect(runRounds(unitMetricsTask, { unit_metrics_uri: `sha1://${'00'.repeat(20)}/none.json` }, data.relay)).rejects.toThrow(/No such file/);
  });

  it.each([
    ['a path', { unit_metrics_uri: '/home/lab/metrics.json' }],
    ['no uri', {}],
    ['an extra kwarg', { unit_metrics_uri: METRICS_URI, sorting_uri: METRICS_URI }],
  ])('refuses %s', (_, kw) => expect(unitMetricsTask.kwargs.safeParse(kw).success).toBe(false));
});
