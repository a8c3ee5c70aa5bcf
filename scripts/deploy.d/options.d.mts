// Types of what TypeScript (the tests) imports from options.mjs: the config is opaque to them.
export type DeployConfig = Record<string, unknown> & { project: string; workDir: string };
export declare function parseOptions(argv: string[], env: Record<string, string | undefined>, root: string, today?: string): DeployConfig;
