import { describe, expect, it } from 'vitest';
import { CurationError } from '../core/curation/errors';
import { FeedError } from '../core/feeds';
import { asCliError, CliError } from './cliErrors';
import { DataAccessError } from './data/errors';

describe('asCliError: the relay CLI\'s one error edge', () => {
  it('turns the failures the commands expect into CliErrors with the same message, keeping the cause', () => {
    for (const err of [new FeedError('Unknown workspace x', 'unknown-feed'), new CurationError('owner always may edit', 'bad-permission-change'), new DataAccessError('not under --data-dir')]) {
      const out = asCliError(err, {});
      expect(out).toBeInstanceOf(CliError);
      expect((out as CliError).message).toBe(err.message);
      expect((out as CliError).cause).toBe(err);
    }
  });

  it('says what a refused connection means on the local stack, and what a 403 asks of the credentials', () => {
    const refused = Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect((asCliError(refused, { STORAGE_EMULATOR_HOST: 'http://127.0.0.1:8701' }) as Error).message).toBe('Cannot reach Cloud Storage (connection refused) at http://127.0.0.1:8701: is the local stack running?');
    const forbidden = Object.assign(new Error('no storage.objects.create'), { code: 403 });
    expect((asCliError(forbidden, {}) as Error).message).toMatch(/^Cloud Storage refused access: no storage\.objects\.create\. Do these credentials/);
  });

  it('leaves a bug a bug (its stack is printed)', () => {
    const bug = new TypeError('x is undefined');
    expect(asCliError(bug, {})).toBe(bug);
  });
});
