import { describe, expect, it } from 'vitest';
import { CurationError } from '../../core/curation/errors';
import { FeedError } from '../../core/feeds/errors';
import { HttpError, httpErrorOf } from './httpError';

describe('httpErrorOf: the API edge answers typed errors by their code', () => {
  it.each([
    [new FeedError('bad uri', 'bad-uri'), 400, 'invalid_action'],
    [new FeedError('too large', 'bad-message'), 400, 'invalid_action'],
    [new FeedError('no such workspace', 'unknown-feed'), 404, 'unknown_workspace'],
    [new FeedError('write unknown', 'ambiguous-write'), 503, 'unavailable'],
    [new FeedError('message 3 unreadable', 'corrupt-feed'), 500, 'corrupt_feed'],
    [new CurationError('owner keeps edit', 'bad-permission-change'), 400, 'invalid_request'],
    [new CurationError('kept changing', 'acl-contended'), 503, 'unavailable'],
    [new CurationError('not an ACL', 'corrupt-acl'), 500, 'corrupt_acl'],
  ])('%s → %i %s', (err, status, code) => {
    const answer = httpErrorOf(err)!;
    expect(answer).toMatchObject({ status, code });
    expect(answer.message).toContain(err.message);
    expect(answer.cause).toBe(err);
  });

  it('says what to do after an ambiguous write', () => {
    expect(httpErrorOf(new FeedError('The write may or may not have landed', 'ambiguous-write'))!.message).toMatch(/Reload the curation, then retry/);
  });

  it('passes HttpErrors through and leaves anything else to the 500 path', () => {
    const own = new HttpError(403, 'forbidden', 'not yours');
    expect(httpErrorOf(own)).toBe(own);
    expect(httpErrorOf(new Error('disk on fire'))).toBeNull();
    expect(httpErrorOf('a string')).toBeNull();
  });
});
