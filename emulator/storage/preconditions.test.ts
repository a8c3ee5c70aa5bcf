import { describe, expect, it } from 'vitest';
import { GcsError } from './errors';
import { checkConditions, parseConditions } from './preconditions';

const live = { generation: 5, metageneration: 2 };

function statusOf(fn: () => void): number | 'ok' {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return (err as GcsError).status;
  }
}

describe('preconditions', () => {
  it('parses if* and ifSource* parameters and rejects non-integers', () => {
    const q = new URLSearchParams('ifGenerationMatch=0&ifSourceMetagenerationMatch=3');
    expect(parseConditions(q)).toMatchObject({ generationMatch: 0 });
    expect(parseConditions(q, 'ifSource')).toMatchObject({ metagenerationMatch: 3 });
    expect(() => parseConditions(new URLSearchParams('ifGenerationMatch=abc'))).toThrow(GcsError);
  });

  it('ifGenerationMatch: 0 means absent, otherwise equal; failure is 412', () => {
    expect(statusOf(() => checkConditions({ generationMatch: 0 }, undefined))).toBe('ok');
    expect(statusOf(() => checkConditions({ generationMatch: 0 }, live))).toBe(412);
    expect(statusOf(() => checkConditions({ generationMatch: 5 }, live))).toBe('ok');
    expect(statusOf(() => checkConditions({ generationMatch: 5 }, undefined))).toBe(412);
    expect(statusOf(() => checkConditions({ metagenerationMatch: 1 }, live))).toBe(412);
  });

  it('NotMatch failures are 304; ifGenerationNotMatch=0 requires a live object', () => {
    expect(statusOf(() => checkConditions({ generationNotMatch: 5 }, live))).toBe(304);
    expect(statusOf(() => checkConditions({ generationNotMatch: 4 }, live))).toBe('ok');
    expect(statusOf(() => checkConditions({ generationNotMatch: 0 }, undefined))).toBe(304);
    expect(statusOf(() => checkConditions({ metagenerationNotMatch: 2 }, live))).toBe(304);
  });
});
