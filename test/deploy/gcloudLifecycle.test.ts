// The lifecycle file scripts/deploy writes, read by the installed Google Cloud CLI's own code, offline:
// `gcloud storage buckets update --lifecycle-file` turns it into the bucket's lifecycle message
// (metadata_field_converters.process_lifecycle), and `describe` prints that message back as
// `lifecycle_config` (metadata_util._message_to_dict). The round trip must give the rule unchanged,
// or every run would "repair" the rule again. Skipped where gcloud's Python sources are not found.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The deploy script's own module (plain .mjs without types, so imported by a computed specifier).
const resourcesModule: string = '../../scripts/deploy.d/resources.mjs';
const { privateBucketLifecycle } = await import(resourcesModule) as { privateBucketLifecycle: () => unknown };

const sdkLib = ['/usr/lib/google-cloud-sdk/lib', '/usr/share/google-cloud-sdk/lib'].find((d) => existsSync(join(d, 'googlecloudsdk')));

const ROUND_TRIP = `
import json, sys
from googlecloudsdk.api_lib.storage.gcs_json import metadata_field_converters as m
from googlecloudsdk.api_lib.storage.gcs_json import metadata_util as u
try:
    print(json.dumps(u._message_to_dict(m.process_lifecycle(sys.argv[1]))))
except Exception as e:
    print('ERROR', type(e).__name__, e)
`;

function roundTrip(rule: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sv-lifecycle-')), 'lifecycle.json');
  writeFileSync(file, JSON.stringify(rule));
  const r = spawnSync('python3', ['-c', ROUND_TRIP, file], {
    encoding: 'utf8', timeout: 30_000, env: { ...process.env, PYTHONPATH: `${sdkLib}:${sdkLib}/third_party` },
  });
  return (r.stdout || r.stderr).trim();
}

describe.skipIf(!sdkLib)('gcloud reads the chunk-cache lifecycle rule as written', () => {
  it('parses it into Delete, age 30, prefix chunks/ only, and describes it back unchanged', () => {
    const want = privateBucketLifecycle();
    expect(JSON.parse(roundTrip(want))).toEqual(want);
    expect(want).toEqual({ rule: [{ action: { type: 'Delete' }, condition: { age: 30, matchesPrefix: ['chunks/'] } }] });
  });

  it('would refuse a misspelled condition (the check can fail)', () => {
    expect(roundTrip({ rule: [{ action: { type: 'Delete' }, condition: { agee: 30 } }] })).toMatch(/^ERROR .*invalid JSON\/YAML for the lifecycle rule/);
  });
});
