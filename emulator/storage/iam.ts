// Cloud Storage IAM as the emulator enforces it: bucket policies of {role, member, condition}
// bindings, roles resolved to permissions through iam/policy.json, and conditions evaluated on
// `resource.name` the way GCS does (`projects/_/buckets/B/objects/NAME` for object calls,
// `projects/_/buckets/B` for bucket-level ones such as list, so a prefix condition never grants a
// listing). Only the CEL that iam/policy.mjs generates is understood; anything else is refused when
// the policy is loaded, so the emulator never enforces less than a deployment would.
import { rolePermissions } from '../../iam/policy.mjs';

export interface IamBinding {
  role: string;
  member: string;
  condition?: { expression: string };
}

/** Bucket name → its bindings. */
export type BucketPolicies = Record<string, IamBinding[]>;

type Term = { op: 'startsWith' | 'equals'; value: string };
interface CompiledBinding { permissions: ReadonlySet<string>; member: string; terms: Term[] | null }

const TERM = /^resource\.name(?:\.startsWith\("([^"\\]*)"\)| == "([^"\\]*)")$/;

/** `resource.name.startsWith("…") || resource.name == "…"` → terms; throws on anything else. */
export function parseCondition(expression: string): Term[] {
  return expression.split(' || ').map((part) => {
    const m = TERM.exec(part.trim());
    if (!m) throw new Error(`Storage emulator: cannot evaluate the IAM condition ${JSON.stringify(expression)} (only resource.name.startsWith("…") and resource.name == "…", joined by ||)`);
    return m[1] !== undefined ? { op: 'startsWith', value: m[1] } : { op: 'equals', value: m[2]! };
  });
}

export const resourceName = (bucket: string, object?: string) => (object === undefined ? `projects/_/buckets/${bucket}` : `projects/_/buckets/${bucket}/objects/${object}`);

export class IamPolicies {
  private readonly compiled = new Map<string, CompiledBinding[]>();

  constructor(policies: BucketPolicies) {
    for (const [bucket, bindings] of Object.entries(policies)) {
      this.compiled.set(bucket, bindings.map((b) => ({
        permissions: new Set(rolePermissions(b.role)),
        member: b.member,
        terms: b.condition ? parseCondition(b.condition.expression) : null,
      })));
    }
  }

  /** Whether any of `members` holds `permission` on the object (or the bucket, without one). */
  allows(members: readonly string[], permission: string, bucket: string, object?: string): boolean {
    const name = resourceName(bucket, object);
    return (this.compiled.get(bucket) ?? []).some((b) => members.includes(b.member) && b.permissions.has(permission)
      && (b.terms === null || b.terms.some((t) => (t.op === 'equals' ? name === t.value : name.startsWith(t.value)))));
  }
}
