/**
 * A task's arguments as the task monitor shows them: the plain ones first (unit ids, time ranges,
 * options: what tells two rows apart), then the data, each URI cut to its file name (sha1://…/name),
 * which the row's tooltip gives whole. Pure.
 */
const URI = /^(sha1|gs|kachery):\/\/\S+$/;
const MAX_CHARS = 240;

export function describeKwargs(kwargs: Record<string, unknown>): string {
  const plain: string[] = [];
  const data: string[] = [];
  for (const key of Object.keys(kwargs).sort()) {
    const v = kwargs[key];
    if (typeof v === 'string' && URI.test(v)) data.push(`${key} ${v.split('/').at(-1) || v}`);
    else plain.push(`${key} ${JSON.stringify(v)}`);
  }
  const text = [...plain, ...data].join(' · ');
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…` : text;
}
