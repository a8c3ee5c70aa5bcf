import { describe, expect, it } from 'vitest';
import { initialCurationState, normalizeCuration } from '../reducers/curation';
import { phyGroupOf } from './phy';
import { exportSpikeInterface, exportSpikeInterfaceFile, SI_LABELS_KEY } from './spikeInterface';
import { siCurationV2Schema } from './spikeInterfaceSchema';

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
