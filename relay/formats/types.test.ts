import { describe, expect, it } from 'vitest';
import type { OpenFile as DataOpenFile, RandomAccessFile as DataFile } from '../data/openFile';
import type { OpenFile, RandomAccessFile } from './types';

describe('ports', () => {
  it('relay/data openers fit the format layer and back (checked by tsc)', () => {
    const fromData = (f: DataOpenFile): OpenFile => f;
    const toData = (f: OpenFile): DataOpenFile => f;
    const file = (f: DataFile): RandomAccessFile => f;
    expect([fromData, toData, file].every((x) => typeof x === 'function')).toBe(true);
  });
});
