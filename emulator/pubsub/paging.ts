// List* pagination: the page token is the offset of the next item, opaque to clients.
import { invalidArgument } from './errors.js';

const DEFAULT_PAGE_SIZE = 100;

export function paginate<T>(items: T[], pageSize: number, pageToken: string): { page: T[]; nextPageToken: string } {
  const start = pageToken ? Number(pageToken) : 0;
  if (!Number.isInteger(start) || start < 0) throw invalidArgument(`Invalid page_token: ${pageToken}`);
  const size = pageSize > 0 ? pageSize : DEFAULT_PAGE_SIZE;
  const page = items.slice(start, start + size);
  const next = start + size;
  return { page, nextPageToken: next < items.length ? String(next) : '' };
}
