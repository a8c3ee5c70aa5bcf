// Types of what TypeScript (the tests) imports from resources.mjs.
export interface NodeRuntime { deprecated: string; decommissioned: string; tested?: boolean }
export declare const NODE_RUNTIMES: Record<string, NodeRuntime>;
export declare const DEFAULT_RUNTIME: string;
export declare function runtimeVerdict(runtime: string, today: string): { ok: true; warning?: string } | { ok: false; reason: string };
