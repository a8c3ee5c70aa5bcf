// Resource names as Google validates them: projects/{project}/topics|subscriptions/{id}.
import { invalidArgument } from './errors.js';

/** Subscriptions of a deleted topic report this topic name, as Google does. */
export const DELETED_TOPIC = '_deleted-topic_';

// Google: 3–255 chars, starts with a letter, letters/digits/-_.~+%, and not starting with "goog".
const ID = /^[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/;
const PROJECT = /^[^/]+$/;

export type ResourceKind = 'topics' | 'subscriptions';

export interface ResourceName {
  project: string;
  id: string;
}

export function parseName(name: string, kind: ResourceKind): ResourceName {
  const parts = name.split('/');
  const ok =
    parts.length === 4 &&
    parts[0] === 'projects' &&
    PROJECT.test(parts[1]) &&
    parts[2] === kind &&
    ID.test(parts[3]) &&
    !parts[3].toLowerCase().startsWith('goog');
  if (!ok) throw invalidArgument(`Invalid [${kind}] name: (name=${name})`);
  return { project: parts[1], id: parts[3] };
}

/** `projects/{p}` as given to ListTopics / ListSubscriptions. */
export function parseProject(project: string): string {
  const m = /^projects\/([^/]+)$/.exec(project);
  if (!m) throw invalidArgument(`Invalid project name: (name=${project}); expected projects/{project}`);
  return m[1];
}
