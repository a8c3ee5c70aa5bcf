import { describe, expect, it } from 'vitest';
import { initialCurationState, normalizeCuration } from '../reducers/curation';
import { phyGroupOf } from './phy';
import { exportSpikeInterface, exportSpikeInterfaceFile, SI_LABELS_KEY } from './spikeInterface';
import { siCurationProblems, siCurationV2Schema } from './spikeInterfaceSchema';

const curation = normalizeCuration({
  labelsByUnit: { 1: ['accept'], 2: ['reject'], 3: ['mua', 'accept'], 4: ['noise', 'artifact'], 5: ['pyramidal'], 8: ['noise'] },
  mergeGroups: [[7, 8], [3, 9]],
});
const units = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

// SpikeInterface's own examples (spikeinterface/curation/tests/test_curation_format.py), as its
// pydantic model judges them: the schema must agree.
const siExample = {
  format_version: '2',
  unit_ids: [1, 2, 3, 6, 10, 14, 20, 31, 42],
  label_definitions: {
    quality: { label_options: ['good', 'noise', 'MUA', 'artifact'], exclusive: true },
    putative_type: { label_options: ['excitatory', 'inhibitory', 'pyramidal', 'mitral'], exclusive: false },
  },
  manual_labels: [
    { unit_id: 1, labels: { quality: ['good'] } },
    { unit_id: 2, labels: { quality: ['noise'], putative_type: ['excitatory', 'pyramidal'] } },
    { unit_id: 3, labels: { putative_type: ['inhibitory'] } },
  ],
  merges: [{ unit_ids: [3, 6] }, { unit_ids: [10, 14, 20] }],
  splits: [],
  removed: [31, 42],
};

describe('the v2 schema (as SpikeInterface\'s CurationModel validates)', () => {
  it('accepts SpikeInterface\'s own example', () => {
    expect(siCurationV2Schema.safeParse(siExample).success).toBe(true);
  });

  it.each([
    ['a unit in two merge groups', { merges: [{ unit_ids: [3, 6, 10] }, { unit_ids: [10, 14, 20] }] }, /multiple merge groups/],
    ['a unit merged and removed', { removed: [3, 31, 42] }, /merged and deleted/],
    ['an unknown merged unit', { merges: [{ unit_ids: [3, 6, 99] }] }, /unit_id 99 is not in the unit list/],
    ['an unknown removed unit', { removed: [31, 42, 99] }, /removed unit_id 99/],
    ['a one-unit merge', { merges: [{ unit_ids: [3] }] }, /at least 2 elements/],
    ['two values of an exclusive label', { manual_labels: [{ unit_id: 1, labels: { quality: ['good', 'noise'] } }] }, /exclusive/],
    ['an undefined label key', { manual_labels: [{ unit_id: 1, labels: { color: ['red'] } }] }, /unknown label color/],
    ['a label definition with one option', { label_definitions: { quality: { label_options: ['good'], exclusive: true } }, manual_labels: [] }, /at least two label_options/],
    ['a taken new_unit_id', { merges: [{ unit_ids: [3, 6], new_unit_id: 1 }] }, /already in the unit list/],
    ['format version 3', { format_version: '3' }, /format_version/],
  ])('refuses %s', (_what, change, message) => {
    const r = siCurationV2Schema.safeParse({ ...siExample, ...change });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')).toMatch(message);
  });
});

describe('exportSpikeInterface', () => {
  const { json, notes } = exportSpikeInterface(curation, units);

  it('writes format v2 that SpikeInterface\'s model accepts', () => {
    const parsed = siCurationV2Schema.safeParse(JSON.parse(JSON.stringify(json)));
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('lists the units, the two label definitions, labels, merges and removals (worked by hand)', () => {
    expect(json.format_version).toBe('2');
    expect(json.unit_ids).toEqual(units);
    expect(json.label_definitions).toEqual({
      quality: { label_options: ['good', 'mua', 'noise'], exclusive: true },
      sortingview_labels: { label_options: ['accept', 'reject', 'noise', 'artifact', 'mua', 'pyramidal'], exclusive: false },
    });
    expect(json.manual_labels).toEqual([
      { unit_id: 1, labels: { quality: ['good'], sortingview_labels: ['accept'] } },
      { unit_id: 2, labels: { quality: ['noise'], sortingview_labels: ['reject'] } },
      { unit_id: 3, labels: { quality: ['mua'], sortingview_labels: ['accept', 'mua'] } },
      { unit_id: 4, labels: { quality: ['noise'], sortingview_labels: ['artifact', 'noise'] } },
      { unit_id: 5, labels: { sortingview_labels: ['pyramidal'] } },
      { unit_id: 8, labels: { quality: ['noise'], sortingview_labels: ['noise'] } },
    ]);
    expect(json.merges).toEqual([{ unit_ids: [7, 8], new_unit_id: 7 }, { unit_ids: [3, 9], new_unit_id: 3 }]);
    // 8 is noise but merged: SpikeInterface cannot both merge and remove it.
    expect(json.removed).toEqual([2, 4]);
    expect(notes.join('\n')).toMatch(/unit\(s\) 8 are labelled reject\/noise but merged/);
  });

  it('reads back to the same curation: every label, every merge group, removals = noise quality', () => {
    const back = siCurationV2Schema.parse(JSON.parse(exportSpikeInterfaceFile(curation, units).files[0].content));
    const labelsByUnit = Object.fromEntries(back.manual_labels.map((m) => [String(m.unit_id), m.labels[SI_LABELS_KEY]]));
    expect(normalizeCuration({ labelsByUnit, mergeGroups: back.merges.map((m) => m.unit_ids as number[]) })).toEqual(curation);
    for (const m of back.manual_labels) expect(m.labels.quality ?? []).toEqual(phyGroupOf(m.labels[SI_LABELS_KEY]) === 'unsorted' ? [] : [phyGroupOf(m.labels[SI_LABELS_KEY])]);
  });

  it('exports an empty curation validly, and exactly the sorting\'s units, leaving out what names units it lacks', () => {
    const empty = exportSpikeInterface(initialCurationState, [1, 2]).json;
    expect(siCurationV2Schema.safeParse(empty).success).toBe(true);
    expect(empty).toMatchObject({ unit_ids: [1, 2], manual_labels: [], merges: [], removed: [] });
    // A re-sorted sorting without units 7, 8, 9: apply_curation needs unit_ids = the sorting's units.
    const resorted = exportSpikeInterface(curation, [5, 4, 3, 2, 1]);
    expect(siCurationV2Schema.safeParse(resorted.json).success).toBe(true);
    expect(resorted.json.unit_ids).toEqual([5, 4, 3, 2, 1]);
    const j = resorted.json;
    const named = [...(j.manual_labels ?? []).map((m) => m.unit_id), ...(j.merges ?? []).flatMap((m) => m.unit_ids), ...(j.removed ?? [])];
    expect(named.every((u) => [1, 2, 3, 4, 5].includes(u as number))).toBe(true);
    expect(resorted.notes.join('\n')).toMatch(/names 3 unit\(s\) the sorting does not have \(7, 8, 9\): their labels and merges are left out/);
  });
});

describe('SpikeInterface\'s other rules (curation_model.py, curation_format.py at 0.105.0)', () => {
  it.each([
    ['a unit listed twice in unit_ids', { unit_ids: [1, 2, 3, 6, 10, 14, 20, 31, 42, 3] }, /unit_ids: unit_ids lists 3 more than once/],
    ['a label key that is also an option of a non-exclusive label', {
      label_definitions: { ...siExample.label_definitions, pyramidal: { label_options: ['yes', 'no'], exclusive: true } },
    }, /"pyramidal" is already a key/],
    ['new_unit_id on some merges only', { merges: [{ unit_ids: [3, 6], new_unit_id: 3 }, { unit_ids: [10, 14, 20] }] }, /1 of 2 merges have a new_unit_id/],
    ['one new_unit_id for two merges', { merges: [{ unit_ids: [3, 6], new_unit_id: 100 }, { unit_ids: [10, 14, 20], new_unit_id: 100 }] }, /new unit ID 100 is given to two merges/],
    ['a unit merged and split', { splits: [{ unit_id: 3, mode: 'indices', indices: [[0, 1]] }] }, /both merged and split/],
    ['a unit split and removed', { splits: [{ unit_id: 31, mode: 'indices', indices: [[0, 1]] }] }, /split and deleted/],
    ['a split without indices', { splits: [{ unit_id: 1 }] }, /split unit 1 has no indices defined/],
    ['a split with an index twice', { splits: [{ unit_id: 1, indices: [[0, 1], [1, 2]] }] }, /duplicate indices/],
    ['a split by labels without labels', { splits: [{ unit_id: 1, mode: 'labels', labels: [] }] }, /split unit 1 has empty labels/],
    ['a split whose new ids do not fit', { splits: [{ unit_id: 1, indices: [[0, 1]], new_unit_ids: [50, 51, 52] }] }, /number of new unit IDs does not match/],
    ['a split whose new id is taken', { splits: [{ unit_id: 1, mode: 'labels', labels: [0, 1, 0], new_unit_ids: [50, 2] }] }, /new unit ID 2 is already in the unit list/],
  ])('refuses %s', (_what, change, message) => {
    const problems = siCurationProblems({ ...siExample, ...change });
    expect(problems.join('; ')).toMatch(message);
  });

  it('accepts valid splits (indices with one more new id for the rest; labels with one per distinct label)', () => {
    expect(siCurationProblems({ ...siExample, splits: [{ unit_id: 1, indices: [[0, 2]], new_unit_ids: [50, 51] }, { unit_id: 2, mode: 'labels', labels: [0, 1, 0], new_unit_ids: [52, 53] }] })).toEqual([]);
  });

  it('apply_curation\'s first check: the unit ids as a set equal the sorting\'s', () => {
    expect(siCurationProblems(siExample, [42, 31, 20, 14, 10, 6, 3, 2, 1])).toEqual([]);
    expect(siCurationProblems(siExample, [1, 2, 3, 6, 10, 14, 20, 31, 42, 43])).toEqual([
      'unit_ids: unit_ids from the curation_dict do not match the one from Sorting or SortingAnalyzer (lacks 43)',
    ]);
    expect(siCurationProblems({ ...siExample, unit_ids: siExample.unit_ids.map(String), manual_labels: [], merges: [], removed: [] }, siExample.unit_ids)[0]).toMatch(/lacks 1, 2, 3.*has "1", "2"/);
  });
});

describe('exportSpikeInterface through cluster_si_unit_ids.tsv, and its own check', () => {
  // Clusters 0…9 of a phy folder from export_to_phy, whose analyzer's unit ids were 100, 101, … ('u0', … as strings).
  const siIds = new Map(units.map((c) => [c, 100 + c]));

  it('names every unit, label, merge (new_unit_id: its smallest cluster\'s SI id) and removal by its SpikeInterface id', () => {
    const { json } = exportSpikeInterface(curation, units, { siUnitIds: siIds });
    expect(json.unit_ids).toEqual(units.map((c) => 100 + c));
    expect(json.manual_labels!.map((m) => m.unit_id)).toEqual([101, 102, 103, 104, 105, 108]);
    expect(json.merges).toEqual([{ unit_ids: [107, 108], new_unit_id: 107 }, { unit_ids: [103, 109], new_unit_id: 103 }]);
    expect(json.removed).toEqual([102, 104]);
    expect(siCurationProblems(json, units.map((c) => 100 + c))).toEqual([]);
  });

  it('keeps string ids', () => {
    const { json } = exportSpikeInterface(curation, units, { siUnitIds: new Map(units.map((c) => [c, `u${c}`])) });
    expect(json.unit_ids).toEqual(units.map((c) => `u${c}`));
    expect(json.merges![0]).toEqual({ unit_ids: ['u7', 'u8'], new_unit_id: 'u7' });
    expect(json.removed).toEqual(['u2', 'u4']);
  });

  it('refuses, rather than writes, what apply_curation would refuse', () => {
    expect(() => exportSpikeInterface(curation, units, { siUnitIds: new Map(units.map((c) => [c, c % 2])) })).toThrow(/would be refused by apply_curation: unit_ids: unit_ids lists 0, 1 more than once/);
    expect(() => exportSpikeInterface(curation, units, { siUnitIds: new Map([[0, 100]]) })).toThrow(/no SpikeInterface unit id for unit 1/);
    const clash = normalizeCuration({ labelsByUnit: { 1: ['quality'] }, mergeGroups: [] });
    expect(() => exportSpikeInterface(clash, units)).toThrow(/"quality" is already a key .*a label named "quality" clashes/);
  });
});
