import { z } from 'zod';
import { joinPath, loadJson, tryOpen } from './files';
import { FormatError, type OpenFile } from './types';

/**
 * probeinterface files (`write_probeinterface`: `{specification, version, probes: [Probe.to_dict()]}`) as
 * SpikeInterface writes them: `probegroup.json` of a saved recording (0.105 `BaseRecording._save`) or of an
 * analyzer's `recording_info/`, `probe.json` of older binary folders. A contact goes to channel
 * `device_channel_indices[j]` (−1: unconnected); without device_channel_indices, contacts of the probes in
 * order are channels 0, 1, …. A shank id that is a number becomes the channel's group, else 0.
 */
const probeGroupSchema = z.looseObject({
  probes: z.array(z.looseObject({
    contact_positions: z.array(z.array(z.number()).min(2)),
    device_channel_indices: z.array(z.number().int()).nullish(),
    shank_ids: z.array(z.union([z.string(), z.number()])).nullish(),
  })),
});

export interface ProbeLayout {
  /** [x, y] in µm, per channel index. */
  geom: [number, number][];
  /** The shank of each channel index (0 when the probe names none or a non-numeric one). */
  shankGroups: number[];
}

/** Channel positions of `numChannels` channels from a parsed probeinterface file at `path`; every channel must be placed. */
export function probeLayout(raw: unknown, path: string, numChannels: number): ProbeLayout {
  const p = probeGroupSchema.safeParse(raw);
  if (!p.success) throw new FormatError(path, `is not a probeinterface file: ${p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const geom: [number, number][] = Array.from({ length: numChannels }, (_, i) => [0, 20 * i]);
  const shankGroups = new Array<number>(numChannels).fill(0);
  const found = new Array<boolean>(numChannels).fill(false);
  let base = 0;
  for (const probe of p.data.probes) {
    probe.contact_positions.forEach((pos, j) => {
      const ch = probe.device_channel_indices ? probe.device_channel_indices[j] : base + j;
      if (ch === undefined || ch < 0 || ch >= numChannels) return; // an unconnected contact
      geom[ch] = [pos[0], pos[1]];
      const shank = probe.shank_ids?.[j];
      shankGroups[ch] = shank !== undefined && shank !== '' && Number.isFinite(Number(shank)) ? Number(shank) : 0;
      found[ch] = true;
    });
    base += probe.contact_positions.length;
  }
  if (found.some((x) => !x)) throw new FormatError(path, `places ${found.filter(Boolean).length} of ${numChannels} channels`);
  return { geom, shankGroups };
}

/**
 * The layout from the first of `names` (relative to `folder`) that exists, with the path it came from;
 * null when there is none.
 */
export async function readProbeLayout(open: OpenFile, folder: string, names: readonly string[], numChannels: number): Promise<(ProbeLayout & { path: string }) | null> {
  for (const name of names) {
    const path = joinPath(folder, name);
    const f = await tryOpen(open, path);
    if (!f) continue;
    await f.close();
    return { ...probeLayout(await loadJson(open, path), path, numChannels), path };
  }
  return null;
}
