// objects.list as GCS does it: lexicographic order, `prefix`, `delimiter` rolling names up into
// `prefixes`, `startOffset` (inclusive) / `endOffset` (exclusive), and `maxResults` counting items
// and prefixes together. The page token is the last entry returned; the next page starts strictly
// after it, which also skips everything rolled up under a prefix that ended the previous page.
// `matchGlob` (glob.ts) keeps only the objects, and rolled-up prefixes, whose names match.
import { invalid } from './errors';
import { compileGlob } from './glob';

export interface ListQuery {
  prefix: string;
  delimiter?: string;
  startOffset?: string;
  endOffset?: string;
  maxResults: number;
  pageToken?: string;
  matchGlob?: RegExp;
}

export interface ListPage<T> {
  items: T[];
  prefixes: string[];
  nextPageToken?: string;
}

export const MAX_LIST_RESULTS = 1000;

export function parseListQuery(q: URLSearchParams): ListQuery {
  const rawMax = q.get('maxResults');
  let maxResults = MAX_LIST_RESULTS;
  if (rawMax !== null && rawMax !== '') {
    if (!/^\d+$/.test(rawMax) || Number(rawMax) < 1) throw invalid(`Invalid value for maxResults: "${rawMax}".`);
    maxResults = Math.min(Number(rawMax), MAX_LIST_RESULTS);
  }
  let pageToken: string | undefined;
  const rawToken = q.get('pageToken');
  if (rawToken) {
    pageToken = Buffer.from(rawToken, 'base64url').toString('utf8');
    if (!pageToken) throw invalid(`Invalid pageToken: "${rawToken}".`);
  }
  return {
    prefix: q.get('prefix') ?? '',
    delimiter: q.get('delimiter') || undefined,
    startOffset: q.get('startOffset') || undefined,
    endOffset: q.get('endOffset') || undefined,
    maxResults,
    pageToken,
    matchGlob: q.get('matchGlob') ? compileGlob(q.get('matchGlob')!) : undefined,
  };
}

/** `sorted` must be in ascending name order. */
export function listPage<T extends { name: string }>(sorted: readonly T[], q: ListQuery): ListPage<T> {
  const page: ListPage<T> = { items: [], prefixes: [] };
  let count = 0;
  let lastKey: string | undefined;
  for (const entry of sorted) {
    const name = entry.name;
    if (!name.startsWith(q.prefix)) continue;
    if (q.startOffset !== undefined && name < q.startOffset) continue;
    if (q.endOffset !== undefined && name >= q.endOffset) continue;
    if (q.pageToken !== undefined && (name <= q.pageToken || rolledUnder(name, q.pageToken, q.delimiter))) continue;

    let key = name;
    let isPrefix = false;
    if (q.delimiter) {
      const at = name.indexOf(q.delimiter, q.prefix.length);
      if (at >= 0) {
        key = name.slice(0, at + q.delimiter.length);
        isPrefix = true;
      }
    }
    if (q.matchGlob && !q.matchGlob.test(key)) continue;
    if (isPrefix && key === lastKey) continue; // same rolled-up prefix as the previous entry
    if (count === q.maxResults) {
      page.nextPageToken = Buffer.from(lastKey!, 'utf8').toString('base64url');
      break;
    }
    if (isPrefix) page.prefixes.push(key);
    else page.items.push(entry);
    lastKey = key;
    count++;
  }
  return page;
}

function rolledUnder(name: string, token: string, delimiter: string | undefined): boolean {
  return delimiter !== undefined && token.endsWith(delimiter) && name.startsWith(token);
}
