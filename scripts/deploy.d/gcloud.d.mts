// Types of what TypeScript (the tests) imports from gcloud.mjs.
export interface RunnerOptions {
  dryRun: boolean;
  out: (line: string) => void;
  errStream?: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  sleep?: (ms: number) => Promise<void>;
}
export interface Gcloud {
  dryRun: boolean;
  read(args: string[]): Promise<string | null>;
  readJson(args: string[]): Promise<unknown>;
  change(args: string[], opts?: { retryIf?: RegExp; attempts?: number; delayMs?: number }): Promise<string>;
}
export declare function createGcloud(opts: RunnerOptions): Gcloud;
export declare function shellQuote(arg: string): string;
