import { z } from 'zod';

/**
 * SpikeInterface's curation format v2, as a zod schema that refuses what SpikeInterface 0.105.0 refuses
 * (commit a5f7dbb3e39b: `spikeinterface/curation/curation_model.py` `Curation`, the pydantic model, and
 * what `curation_format.py` `apply_curation` / `curation_label_to_vectors` then assert). The rules, each
 * from that code:
 * - `format_version` "1" or "2" (`supported_versions`; we write and read "2");
 * - `unit_ids`: ints or strings; every unit a manual label, merge, split or removal names is among them
 *   (`check_manual_labels`, `check_merges`, `check_splits`, `check_removed`, `validate_curation_dict`);
 * - `label_definitions`: `{<key>: {label_options (≥ 2), exclusive}}`; a manual label uses only those
 *   keys (`Manual label … has an unknown label`), an exclusive key holds at most one value;
 * - `manual_labels`: `[{unit_id, labels: {<key>: [values]}}]` (we write the `labels` form; SI also
 *   reads `{unit_id, <key>: [values]}`);
 * - `merges`: `[{unit_ids (≥ 2), new_unit_id?}]`, no unit in two groups; a `new_unit_id` is new or one of
 *   its group's units (also `generate_unit_ids_for_merge_group`);
 * - `splits`: `[{unit_id, mode: indices | labels, indices?, labels?, new_unit_ids?}]`: indices given, not
 *   empty, no index twice; labels given, not empty; new_unit_ids one per part (indices: the lists, or one
 *   more for the spikes they leave out; labels: one per distinct label), none already a unit;
 * - `removed`: disjoint from merged and split units; no unit both merged and split.
 * And what apply_curation needs beyond the model:
 * - `curation_label_to_vectors` makes one property per exclusive key and one per option of a
 *   non-exclusive key, asserting each name is new: those names are distinct; a non-exclusive value must
 *   be one of its key's `label_options` (else a KeyError). We check every key's values so;
 * - `merges[].new_unit_id` given for every merge or for none (the list of those given must match the groups);
 * Ours, on top: `unit_ids` has no unit twice (SI compares it as a set and looks units up with `.index`),
 * and new unit ids of merges are distinct. `apply_curation` also needs `set(unit_ids)` = the sorting's
 * unit ids: `siCurationProblems(c, sortingUnitIds)`.
 */

const unitId = z.union([z.number().int(), z.string()]);

export const siLabelDefinitionSchema = z.object({
  name: z.string().optional(),
  label_options: z.array(z.string()).min(2, 'a label definition has at least two label_options'),
  exclusive: z.boolean(),
});

const siSplitSchema = z.object({
  unit_id: unitId,
  mode: z.enum(['indices', 'labels']).default('indices'),
  indices: z.array(z.array(z.number().int())).nullable().optional(),
  labels: z.array(z.number().int()).nullable().optional(),
  new_unit_ids: z.array(unitId).nullable().optional(),
});

export const siCurationV2Schema = z.object({
  format_version: z.literal('2'),
  unit_ids: z.array(unitId),
  label_definitions: z.record(z.string(), siLabelDefinitionSchema).default({}),
  manual_labels: z.array(z.object({ unit_id: unitId, labels: z.record(z.string(), z.array(z.string())) })).default([]),
  merges: z.array(z.object({ unit_ids: z.array(unitId).min(2, 'merge unit groups must have at least 2 elements'), new_unit_id: unitId.nullable().optional() })).default([]),
  splits: z.array(siSplitSchema).default([]),
  removed: z.array(unitId).default([]),
}).superRefine((c, ctx) => {
  const units = new Set<unknown>(c.unit_ids);
  const fail = (message: string, path: (string | number)[]) => ctx.addIssue({ code: 'custom', message, path });
  if (units.size !== c.unit_ids.length) {
    const seen = new Set<unknown>();
    const twice = c.unit_ids.filter((u) => (seen.has(u) ? true : (seen.add(u), false)));
    fail(`unit_ids lists ${[...new Set(twice)].slice(0, 10).join(', ')} more than once`, ['unit_ids']);
  }
  const propertyNames = new Map<string, string>();
  for (const [key, def] of Object.entries(c.label_definitions)) {
    for (const name of def.exclusive ? [key] : def.label_options) {
      const other = propertyNames.get(name);
      if (other !== undefined) fail(`${JSON.stringify(name)} is already a key (${other}): apply_curation makes one property per exclusive label and per option of a non-exclusive one, so their names must differ`, ['label_definitions', key]);
      else propertyNames.set(name, def.exclusive ? `the exclusive label ${key}` : `an option of ${key}`);
    }
  }
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
  const newIds = new Set<unknown>();
  c.merges.forEach((m, i) => {
    for (const u of m.unit_ids) {
      if (!units.has(u)) fail(`merge unit group unit_id ${u} is not in the unit list`, ['merges', i]);
      if (merged.has(u)) fail('some units belong to multiple merge groups', ['merges', i]);
    }
    for (const u of m.unit_ids) merged.add(u);
    if (m.new_unit_id != null) {
      if (units.has(m.new_unit_id) && !m.unit_ids.includes(m.new_unit_id)) fail(`new unit ID ${m.new_unit_id} is already in the unit list`, ['merges', i, 'new_unit_id']);
      if (newIds.has(m.new_unit_id)) fail(`new unit ID ${m.new_unit_id} is given to two merges`, ['merges', i, 'new_unit_id']);
      newIds.add(m.new_unit_id);
    }
  });
  const given = c.merges.filter((m) => m.new_unit_id != null).length;
  if (given && given !== c.merges.length) fail(`${given} of ${c.merges.length} merges have a new_unit_id: give one for every merge or for none (apply_curation passes the list of those given, which must match the merge groups)`, ['merges']);
  const split = new Set<unknown>();
  c.splits.forEach((sp, i) => {
    const where = ['splits', i];
    if (!units.has(sp.unit_id)) fail(`split unit_id ${sp.unit_id} is not in the unit list`, where);
    if (merged.has(sp.unit_id)) fail('some units were both merged and split', where);
    split.add(sp.unit_id);
    let parts: number[] = [];
    if (sp.mode === 'indices') {
      if (sp.indices == null) fail(`split unit ${sp.unit_id} has no indices defined`, where);
      else if (sp.indices.length < 1) fail(`split unit ${sp.unit_id} has empty indices`, where);
      else {
        const all = sp.indices.flat();
        if (new Set(all).size !== all.length) fail(`split unit ${sp.unit_id} has duplicate indices`, where);
        parts = [sp.indices.length, sp.indices.length + 1];
      }
    } else if (sp.labels == null) fail(`split unit ${sp.unit_id} has no labels defined`, where);
    else if (sp.labels.length === 0) fail(`split unit ${sp.unit_id} has empty labels`, where);
    else parts = [new Set(sp.labels).size];
    if (sp.new_unit_ids != null) {
      if (parts.length && !parts.includes(sp.new_unit_ids.length)) fail(`number of new unit IDs does not match number of splits for unit ${sp.unit_id}`, [...where, 'new_unit_ids']);
      for (const u of sp.new_unit_ids) if (units.has(u)) fail(`new unit ID ${u} is already in the unit list`, [...where, 'new_unit_ids']);
    }
  });
  c.removed.forEach((u, i) => {
    if (!units.has(u)) fail(`removed unit_id ${u} is not in the unit list`, ['removed', i]);
    if (merged.has(u)) fail('some units were merged and deleted', ['removed', i]);
    if (split.has(u)) fail('some units were split and deleted', ['removed', i]);
  });
});
export type SiCurationV2 = z.input<typeof siCurationV2Schema>;

/**
 * Why SpikeInterface's `apply_curation(sorting, curation)` would refuse `curation` (empty: it accepts
 * it): the schema's rules, and with `sortingUnitIds` (the sorting's units as SpikeInterface has them)
 * its first check, `set(curation.unit_ids) == set(sorting.unit_ids)`.
 */
export function siCurationProblems(curation: unknown, sortingUnitIds?: readonly (number | string)[]): string[] {
  const parsed = siCurationV2Schema.safeParse(curation);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
  if (sortingUnitIds && parsed.success) {
    const listed = new Set<unknown>(parsed.data.unit_ids);
    const sorting = new Set<unknown>(sortingUnitIds);
    const missing = [...sorting].filter((u) => !listed.has(u));
    const extra = [...listed].filter((u) => !sorting.has(u));
    if (missing.length || extra.length) {
      const show = (xs: unknown[]) => xs.slice(0, 10).map((x) => JSON.stringify(x)).join(', ') + (xs.length > 10 ? ', …' : '');
      problems.push(`unit_ids: unit_ids from the curation_dict do not match the one from Sorting or SortingAnalyzer (${[
        missing.length ? `lacks ${show(missing)}` : '', extra.length ? `has ${show(extra)}, which the sorting does not` : '',
      ].filter(Boolean).join('; ')})`);
    }
  }
  return problems;
}
