import { z } from 'zod';

/**
 * SpikeInterface's curation format v2 (`spikeinterface.curation.curation_model.CurationModel`), as a
 * zod schema that refuses what SpikeInterface's pydantic model refuses:
 * - `unit_ids`: ints or strings; every unit a label, merge, split or removal names is among them;
 * - `label_definitions`: `{<key>: {label_options (≥ 2), exclusive}}`; a manual label uses only those
 *   keys, and an exclusive key holds at most one value;
 * - `manual_labels`: `[{unit_id, labels: {<key>: [values]}}]` (we write the `labels` form; SI also
 *   reads `{unit_id, <key>: [values]}`);
 * - `merges`: `[{unit_ids (≥ 2), new_unit_id?}]`, groups disjoint; a `new_unit_id` is new or one of
 *   its group's units;
 * - `removed`: disjoint from merged and split units.
 * One check SI does not make: label values must be among their key's `label_options`.
 */

const unitId = z.union([z.number().int(), z.string()]);

export const siLabelDefinitionSchema = z.object({
  name: z.string().optional(),
  label_options: z.array(z.string()).min(2, 'a label definition has at least two label_options'),
  exclusive: z.boolean(),
});

export const siCurationV2Schema = z.object({
  format_version: z.literal('2'),
  unit_ids: z.array(unitId),
  label_definitions: z.record(z.string(), siLabelDefinitionSchema).default({}),
  manual_labels: z.array(z.object({ unit_id: unitId, labels: z.record(z.string(), z.array(z.string())) })).default([]),
  merges: z.array(z.object({ unit_ids: z.array(unitId).min(2, 'merge unit groups must have at least 2 elements'), new_unit_id: unitId.nullable().optional() })).default([]),
  splits: z.array(z.object({ unit_id: unitId }).passthrough()).default([]),
  removed: z.array(unitId).default([]),
}).superRefine((c, ctx) => {
  const units = new Set<unknown>(c.unit_ids);
  const fail = (message: string, path: (string | number)[]) => ctx.addIssue({ code: 'custom', message, path });
  c.manual_labels.forEach((m, i) => {
    if (!units.has(m.unit_id)) fail(`manual label unit_id ${m.unit_id} is not in the unit list`, ['manual_labels', i, 'unit_id']);
    for (const [key, values] of Object.entries(m.labels)) {
      const def = c.label_definitions[key];
      if (!def) { fail(`manual label ${m.unit_id} has an unknown label ${key}`, ['manual_labels', i, 'labels', key]); continue; }
      if (def.exclusive && values.length > 1) fail(`manual_labels ${m.unit_id} ${key} are exclusive labels; ${JSON.stringify(values)} is invalid`, ['manual_labels', i, 'labels', key]);
      for (const v of values) if (!def.label_options.includes(v)) fail(`${JSON.stringify(v)} is not among the label_options of ${key}`, ['manual_labels', i, 'labels', key]);
    }
  });
  const merged = new Set<unknown>();
  c.merges.forEach((m, i) => {
    for (const u of m.unit_ids) {
      if (!units.has(u)) fail(`merge unit group unit_id ${u} is not in the unit list`, ['merges', i]);
      if (merged.has(u)) fail('some units belong to multiple merge groups', ['merges', i]);
    }
    for (const u of m.unit_ids) merged.add(u);
    if (m.new_unit_id != null && units.has(m.new_unit_id) && !m.unit_ids.includes(m.new_unit_id)) fail(`new unit ID ${m.new_unit_id} is already in the unit list`, ['merges', i, 'new_unit_id']);
  });
  const split = new Set<unknown>(c.splits.map((s) => s.unit_id));
  c.removed.forEach((u, i) => {
    if (!units.has(u)) fail(`removed unit_id ${u} is not in the unit list`, ['removed', i]);
    if (merged.has(u)) fail('some units were merged and deleted', ['removed', i]);
    if (split.has(u)) fail('some units were split and deleted', ['removed', i]);
  });
});
export type SiCurationV2 = z.input<typeof siCurationV2Schema>;
