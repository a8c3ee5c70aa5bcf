import { describe, expect, it } from 'vitest';
import { curationSubfeedHash } from '../../core/feeds';
import { apiCurationWriter } from './writer';

const feedId = 'ab'.repeat(32);

describe('curation writer', () => {
  it('POSTs the actions to the sorting\'s curation subfeed with the bearer token, and reports API errors', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    let answer = new Response(JSON.stringify({ positions: [4] }), { status: 200 });
    const w = apiCurationWriter({
      apiUrl: 'https://api/', getIdToken: async () => 'tok',
      fetch: (async (url: string, init: RequestInit) => { seen.push({ url, init }); return answer; }) as unknown as typeof fetch,
    });
    expect(await w.append(feedId, 'S-1', [{ type: 'ADD_UNIT_LABEL', unitId: 3, label: 'accept' }])).toEqual({ positions: [4] });
    expect(seen[0].url).toBe(`https://api/v1/feeds/${feedId}/${curationSubfeedHash('S-1')}/messages`);
    expect((seen[0].init.headers as Record<string, string>).authorization).toBe('Bearer tok');
    expect(JSON.parse(String(seen[0].init.body))).toEqual({ messages: [{ type: 'ADD_UNIT_LABEL', unitId: 3, label: 'accept' }] });
    answer = new Response(JSON.stringify({ error: 'forbidden', message: 'a@b may not edit' }), { status: 403 });
    await expect(w.append(feedId, 'S-1', [{ type: 'CLOSE_CURATION' }])).rejects.toMatchObject({ status: 403, message: 'a@b may not edit' });
  });
});
