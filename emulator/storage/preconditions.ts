// Generation/metageneration preconditions of the JSON API, parsed from the query string and
// checked against the live object inside the store's synchronous write path (so two concurrent
// `ifGenerationMatch=0` writers can never both pass: Node runs the check-and-set without yielding).
import { conditionNotMet, invalid, notModified } from './errors';

export interface Conditions {
  generationMatch?: number;
  generationNotMatch?: number;
  metagenerationMatch?: number;
  metagenerationNotMatch?: number;
}

export interface Versioned {
  generation: number;
  metageneration: number;
}

function parseCount(query: URLSearchParams, key: string): number | undefined {
  const raw = query.get(key);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw invalid(`Invalid value for ${key}: "${raw}" is not a non-negative integer.`);
  }
  return Number(raw);
}

/** `prefix` is `if` for the target object, `ifSource` for the source of a copy/rewrite. */
export function parseConditions(query: URLSearchParams, prefix: 'if' | 'ifSource' = 'if'): Conditions {
  return {
    generationMatch: parseCount(query, `${prefix}GenerationMatch`),
    generationNotMatch: parseCount(query, `${prefix}GenerationNotMatch`),
    metagenerationMatch: parseCount(query, `${prefix}MetagenerationMatch`),
    metagenerationNotMatch: parseCount(query, `${prefix}MetagenerationNotMatch`),
  };
}

/**
 * Throws 412 when a *Match condition fails and 304 when a *NotMatch condition fails, as GCS does.
 * Generation 0 means "no live object": ifGenerationMatch=0 requires absence,
 * ifGenerationNotMatch=0 requires presence.
 */
export function checkConditions(c: Conditions, current: Versioned | undefined): void {
  const gen = current?.generation;
  const meta = current?.metageneration;
  if (c.generationMatch !== undefined) {
    const ok = c.generationMatch === 0 ? current === undefined : gen === c.generationMatch;
    if (!ok) throw conditionNotMet(`ifGenerationMatch=${c.generationMatch}, live generation ${gen ?? 'none'}`);
  }
  if (c.metagenerationMatch !== undefined) {
    const ok = c.metagenerationMatch === 0 ? current === undefined : meta === c.metagenerationMatch;
    if (!ok) throw conditionNotMet(`ifMetagenerationMatch=${c.metagenerationMatch}, live metageneration ${meta ?? 'none'}`);
  }
  if (c.generationNotMatch !== undefined) {
    const fails = c.generationNotMatch === 0 ? current === undefined : gen === c.generationNotMatch;
    if (fails) throw notModified(`ifGenerationNotMatch=${c.generationNotMatch}`);
  }
  if (c.metagenerationNotMatch !== undefined) {
    const fails = c.metagenerationNotMatch === 0 ? current === undefined : meta === c.metagenerationNotMatch;
    if (fails) throw notModified(`ifMetagenerationNotMatch=${c.metagenerationNotMatch}`);
  }
}
