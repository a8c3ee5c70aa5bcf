// What scripts/build.mjs produces for the functions: the deploy script and terraform must match it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './helpers';

const needed = ['functions/api/package.json', 'functions/worker/package.json', 'functions/api/index.js', 'functions/worker/index.js', 'web/index.html'];

/**
 * `npm test` builds first; run alone, the suite builds only when dist/ lacks a bundle (the build
 * empties dist/ first, so it is never rerun under other suites that may be reading it).
 */
export function ensureBuilt(): void {
  if (needed.every((f) => existsSync(join(root, 'dist', f)))) return;
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'pipe' });
}

export interface FunctionBundle {
  name: string;
  dir: string;
  packageJson: { main: string; type?: string; engines?: { node?: string }; dependencies: Record<string, string> };
  /** The functions-framework registrations in the bundle: `http("api", …)` → {kind:'http', name:'api'}. */
  registrations: { kind: 'http' | 'cloudEvent'; name: string }[];
}

export function readBundle(name: string): FunctionBundle {
  const dir = join(root, 'dist', 'functions', name);
  const packageJson = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as FunctionBundle['packageJson'];
  const code = readFileSync(join(dir, packageJson.main), 'utf8');
  const registrations = [...code.matchAll(/\.(http|cloudEvent)\(\s*["'`]([A-Za-z0-9_-]+)["'`]/g)]
    .map((m) => ({ kind: m[1] as 'http' | 'cloudEvent', name: m[2] }));
  return { name, dir, packageJson, registrations };
}

/** The lowest Node major an `engines.node` range like ">=20" admits. */
export function minNodeMajor(range: string | undefined): number {
  const m = /(\d+)/.exec(range ?? '');
  if (!m) throw new Error(`no Node version in engines.node ${JSON.stringify(range)}`);
  return Number(m[1]);
}
