import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { findTask, taskFunctionIds } from './catalog';
import { dataKwargsOf, dataKwargsOfSchema, dataUriSchema, dataUrisOf, findUnregistered, parseDataUri, registryCheck, unregisteredMessage } from './dataKwargs';
import type { TaskDefinition } from './types';

const h = 'ab'.repeat(20);
const uri = `sha1://${h}/rec.json`;
/**
 * Free-text kwargs, which take any string and so a URI too: each one is read here and named data by
 * nobody. A new string kwarg fails the test below until it is a dataUriSchema or is listed here.
 */
const FREE_TEXT = new Set(['sortingview.test_error.1 message']);
const everyTask = (): TaskDefinition[] => taskFunctionIds({ diagnosticTasks: true }).map((id) => findTask(id, { diagnosticTasks: true })!);

/** Whether a field would take a sha1:// URI, alone or in a list: then it names data. */
function takesUri(field: z.ZodType): boolean {
  return field.safeParse(uri).success || field.safeParse([uri]).success;
}

describe('data kwargs, derived from the task definitions', () => {
  it('every kwarg of every task that would take a sha1:// URI is a data kwarg (so the registry check covers it)', () => {
    let named = 0;
    for (const task of everyTask()) {
      const shape = (task.kwargs as unknown as { shape?: Record<string, z.ZodType> }).shape;
      // A kwargs schema that is not a plain object could hide a URI field from the derivation.
      expect(shape, `${task.functionId}: kwargs must be a z.object`).toBeDefined();
      const declared = dataKwargsOf(task);
      for (const [key, field] of Object.entries(shape!)) {
        if ((takesUri(field) || /_uris?$/.test(key)) && !FREE_TEXT.has(`${task.functionId} ${key}`)) {
          expect(declared.has(key), `${task.functionId}.${key} takes a URI but is not a dataUriSchema kwarg`).toBe(true);
          named++;
        }
      }
    }
    // recording_uri, sorting_uri, compare_sorting_uri and unit_metrics_uri across the views.
    expect(named).toBeGreaterThan(20);
    expect([...dataKwargsOf(findTask('fetch_unit_metrics.1')!).keys()]).toEqual(['unit_metrics_uri']);
    expect([...dataKwargsOf(findTask('get_best_matching_units.2')!).keys()].sort()).toEqual(['compare_sorting_uri', 'sorting_uri']);
  });

  it('finds URIs in optional, nullable and list kwargs', () => {
    const s = z.object({ a: dataUriSchema, b: dataUriSchema.optional(), c: z.array(dataUriSchema), d: dataUriSchema.nullable(), n: z.number() }).strict();
    expect(Object.fromEntries(dataKwargsOfSchema(s))).toEqual({ a: 'one', b: 'one', c: 'list', d: 'one' });
    const task = { functionId: 't.1', kind: 'pure', kwargs: s } as unknown as TaskDefinition;
    expect(dataUrisOf(task, { a: uri, c: [uri, `sha1://${'cd'.repeat(20)}/s.json`], d: null, n: 1 }).map((d) => d.key)).toEqual(['a', 'c', 'c']);
  });

  it('accepts only the registered form: sha1://<40 hex>/<name>, no suffix variants', () => {
    expect(parseDataUri(uri)).toEqual({ sha1: h, name: 'rec.json' });
    for (const bad of [`sha1://${h}`, `sha1://${h}/`, `sha1://${h}/x?y`, `sha1://${h}/a/b.json`, `sha1://${h}/rec.json?manifest=${h}`,
      `sha1://${h}.json/rec.json`, `sha1://${h.toUpperCase()}/rec.json`, `sha1://${h}/.hidden`, `sha1://${h}/a b`, `sha1://${h}/a%2Fb`]) {
      expect(parseDataUri(bad), bad).toBeNull();
      expect(dataUriSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('findUnregistered asks about every data kwarg, in the form given', async () => {
    const task = findTask('get_best_matching_units.2')!;
    const other = `sha1://${'cd'.repeat(20)}/b.json`;
    const asked: string[] = [];
    const only = (ok: string[]) => async (label: string, u: string) => { asked.push(`${label} ${u}`); return ok.includes(u); };
    const kwargs = { sorting_uri: uri, compare_sorting_uri: other, sorting_selector: 'A' };
    expect(await findUnregistered(task, kwargs, 'lab', only([uri, other]))).toBeNull();
    expect(asked).toEqual([`lab ${uri}`, `lab ${other}`]);
    expect(await findUnregistered(task, kwargs, 'lab', only([uri]))).toEqual({ key: 'compare_sorting_uri', uri: other });
    expect(await findUnregistered(findTask('fetch_unit_metrics.1')!, { unit_metrics_uri: other }, 'lab', only([uri]))).toEqual({ key: 'unit_metrics_uri', uri: other });
  });
});

describe('registryCheck', () => {
  it('looks up the name record of exactly that URI; other forms are never looked up', async () => {
    const looked: string[] = [];
    const check = registryCheck(async (path) => { looked.push(path); return path === `objects/lab/${h}.names/rec.json`; });
    expect(await check('lab', uri)).toBe(true);
    expect(await check('lab', `sha1://${h}/other.json`)).toBe(false);
    expect(await check('other', uri)).toBe(false);
    expect(await check('lab', `sha1://${h}/rec.json?x`)).toBe(false);
    expect(looked).toEqual([`objects/lab/${h}.names/rec.json`, `objects/lab/${h}.names/other.json`, `objects/other/${h}.names/rec.json`]);
  });
});

describe('unregisteredMessage', () => {
  it('names the URI and the command that registers that kind of data, nothing of where it lives', () => {
    expect(unregisteredMessage({ key: 'recording_uri', uri }, 'lab')).toBe(`recording_uri ${uri} is not registered with backend "lab": add it with "sortingview workspace add-recording / add-sorting" on the machine that holds the data, and use the URI it prints`);
    expect(unregisteredMessage({ key: 'unit_metrics_uri', uri }, 'lab')).toMatch(/add it with "sortingview workspace set-unit-metrics"/);
  });
});
