// What iam/policy.json lets each identity do, evaluated the way the storage emulator does
// (emulator/storage/iam.ts), for one deployment: the table is the contract of DESIGN.md "Trust".
import { describe, expect, it } from 'vitest';
import { expandBindings, labelHash, serviceAccounts } from '../iam/policy.mjs';
import { localPrincipals, storagePolicies } from './principals';
import { IamPolicies } from './storage/iam';

const scope = { project: 'p', bucket: 'pub', privateBucket: 'priv', labels: ['laba', 'labb'] };
const iam = new IamPolicies(storagePolicies(scope));
const sa = serviceAccounts('p', ['laba', 'labb']);
const who = {
  anonymous: ['allUsers'],
  api: ['allUsers', `serviceAccount:${sa.api!.email}`],
  worker: ['allUsers', `serviceAccount:${sa.worker!.email}`],
  relayA: ['allUsers', `serviceAccount:${sa['relay:laba']!.email}`],
};
const may = (w: keyof typeof who, permission: string, bucket: string, object?: string) => iam.allows(who[w], permission, bucket, object);

describe('iam/policy.json, as the emulator enforces it', () => {
  it.each([
    // [who, permission, bucket, object, allowed]
    ['anonymous', 'storage.objects.get', 'pub', 'feeds/f/s/0.json', true],
    ['anonymous', 'storage.objects.list', 'pub', undefined, false],
    ['anonymous', 'storage.objects.get', 'priv', 'acl/f.json', false],
    ['anonymous', 'storage.objects.create', 'pub', 'feeds/f/s/0.json', false],
    ['api', 'storage.objects.create', 'pub', 'feeds/f/s/0.json', true],
    ['api', 'storage.objects.create', 'pub', 'task_status/laba/h.json', true],
    ['api', 'storage.objects.create', 'pub', 'task_results/laba/h', false],
    ['api', 'storage.objects.list', 'pub', undefined, true],
    ['api', 'storage.objects.update', 'priv', 'acl/f.json', true],
    ['api', 'storage.objects.get', 'priv', 'objects/laba/h', true],
    ['api', 'storage.objects.create', 'priv', 'objects/laba/h', false],
    ['api', 'storage.objects.get', 'priv', 'chunks/laba/ab/cd/x', false],
    ['api', 'storage.objects.create', 'priv', 'chunks/laba/ab/cd/x', false],
    ['worker', 'storage.objects.get', 'priv', 'chunks/laba/ab/cd/x', true],
    ['worker', 'storage.objects.create', 'priv', 'chunks/laba/ab/cd/x', false],
    ['worker', 'storage.objects.get', 'priv', 'acl/f.json', false],
    ['worker', 'storage.objects.create', 'pub', 'task_results/laba/h', true],
    ['worker', 'storage.objects.create', 'pub', 'feeds/f/s/0.json', false],
    ['relayA', 'storage.objects.create', 'priv', 'chunks/laba/ab/cd/x', true],
    ['relayA', 'storage.objects.get', 'priv', 'chunks/laba/ab/cd/x', true],
    ['relayA', 'storage.objects.create', 'priv', 'objects/laba/h', true],
    ['relayA', 'storage.objects.delete', 'priv', 'objects/laba/h', false],
    ['relayA', 'storage.objects.get', 'priv', 'chunks/labb/ab/cd/x', false],
    ['relayA', 'storage.objects.create', 'priv', 'chunks/labb/ab/cd/x', false],
    ['relayA', 'storage.objects.create', 'priv', 'chunks/laba-evil/x', false],
    ['relayA', 'storage.objects.create', 'pub', 'sortingview-backends/laba.json', true],
    ['relayA', 'storage.objects.create', 'pub', 'sortingview-backends/labb.json', false],
    ['relayA', 'storage.objects.create', 'pub', 'sortingview-backends/laba.json.bak', false],
    ['relayA', 'storage.objects.list', 'priv', undefined, false],
  ] as const)('%s %s on %s/%s: %s', (w, permission, bucket, object, allowed) => {
    expect(may(w, permission, bucket, object)).toBe(allowed);
  });

  it('names each relay account by its label, within the 6-30 characters of an account id', () => {
    expect(labelHash('mylab')).toBe('2a25aa94fc44'); // sha1("mylab"), as terraform's substr(sha1(l), 0, 12)
    const long = serviceAccounts('p', ['A'.repeat(64)])[`relay:${'A'.repeat(64)}`]!;
    expect(long.id).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
    expect(long.displayName.length).toBeLessThanOrEqual(100);
  });

  it('gives the local stack a CLI identity that the deployment does not create', () => {
    const local = expandBindings(scope).filter((b) => b.local);
    expect(local.map((b) => b.member)).toEqual(['user:lab-member@p.local', 'user:lab-member@p.local']);
    const written: string[] = [];
    const p = localPrincipals(scope, 'laba', (name, member) => { written.push(`${name} ${member}`); return `/x/${name}.json`; });
    expect(p.relay.member).toBe(`serviceAccount:${sa['relay:laba']!.email}`);
    expect(written).toHaveLength(4);
  });
});
