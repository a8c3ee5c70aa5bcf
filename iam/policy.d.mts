// Types of iam/policy.mjs (plain ESM, shared with scripts/deploy which runs without a build).
export interface ServiceAccount { id: string; email: string; displayName: string }
export interface Condition { title: string; description: string; expression: string }
export interface Binding {
  on: 'publicBucket' | 'privateBucket' | 'tasksTopic' | 'relayTopic' | 'relaySubscription' | 'project' | 'workerService' | 'apiService';
  role: string;
  member: string;
  local: boolean;
  key: string;
  label?: string;
  condition?: Condition;
}
export declare const definition: Record<string, unknown>;
export declare function labelHash(label: string): string;
export declare function serviceAccounts(project: string, labels?: string[]): Record<string, ServiceAccount>;
export declare function conditionExpression(bucket: string, prefixes?: string[], objects?: string[]): string;
export declare function expandBindings(cfg: { project: string; bucket: string; privateBucket: string; labels?: string[] }): Binding[];
export declare function rolePermissions(role: string): string[];
