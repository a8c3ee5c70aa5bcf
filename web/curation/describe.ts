/**
 * One line per curation log message for the history list ("label 3, 5 accept", "merge 1+2"), from the
 * stored message (unknown: older or foreign writers may have stored anything).
 */
const units = (u: unknown): string => (Array.isArray(u) ? u.join(', ') : String(u));

export function describeCurationMessage(message: unknown): string {
  if (!message || typeof message !== 'object') return 'unreadable message';
  const m = message as Record<string, unknown>;
  switch (m.type) {
    case 'ADD_UNIT_LABEL': return `label ${units(m.unitId)} "${String(m.label)}"`;
    case 'REMOVE_UNIT_LABEL': return `remove "${String(m.label)}" from ${units(m.unitId)}`;
    case 'MERGE_UNITS': return `merge ${Array.isArray(m.unitIds) ? m.unitIds.join('+') : units(m.unitIds)}`;
    case 'UNMERGE_UNITS': return `unmerge ${units(m.unitIds)}`;
    case 'CLOSE_CURATION': return 'mark the curation complete';
    case 'REOPEN_CURATION': return 'reopen the curation';
    case 'SET_CURATION': return 'replace the whole curation';
    default: return `unknown action ${JSON.stringify(m.type ?? null)}`;
  }
}

/** "12:03:04" today, else "2024-05-01 12:03". */
export function formatWhen(timestampMs: number, nowMs: number): string {
  const d = new Date(timestampMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const today = new Date(nowMs);
  if (d.toDateString() === today.toDateString()) return time;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time.slice(0, 5)}`;
}
