// Types of what TypeScript (the tests) imports from steps.mjs.
import type { Gcloud } from './gcloud.mjs';
import type { DeployConfig } from './options.mjs';
export declare const EVENTARC_RETRY: { attempts: number; delayMs: number };
export declare function deployFunctions(g: Gcloud, cfg: DeployConfig): Promise<string | null>;
