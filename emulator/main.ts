import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { killGroup } from './childProcess';
import { createDemoWorkspace, DEMO_OWNER, ensureDemoData } from './demo';
import { startLocalStack } from './stack';

/** `npm start`: the whole system on loopback, with fixed ports so the printed URLs stay valid. */
// The stack's own clients must not probe the GCE metadata server (off loopback) either.
process.env.METADATA_SERVER_DETECTION ??= 'none';

const program = new Command('sortingview-local')
  .option('--port-base <n>', 'first of 7 consecutive ports (web, storage, storage public, pubsub, auth, api, worker)', '8700')
  .option('--pubsub <which>', 'auto | google | ours', 'auto')
  .option('--state-dir <dir>', 'logs, local.env and the demo data', '.sortingview')
  .option('--demo-duration <sec>', 'length of the generated demo recording', '10')
  .parse();
const opts = program.opts<{ portBase: string; pubsub: 'auto' | 'google' | 'ours'; stateDir: string; demoDuration: string }>();
const base = Number(opts.portBase);
const stateDir = resolve(opts.stateDir);
const pidsFile = join(stateDir, 'pids.json');

// A previous run killed with SIGKILL leaves its children (JVMs included) behind: stop them first.
if (existsSync(pidsFile)) {
  for (const pid of JSON.parse(readFileSync(pidsFile, 'utf8')) as number[]) killGroup(pid, 'SIGKILL');
  rmSync(pidsFile);
}

const started = Date.now();
const demo = await ensureDemoData(join(stateDir, 'demo'), Number(opts.demoDuration), (line) => console.error(line));
console.error('Starting the local sortingview stack…');
const stack = await startLocalStack({
  stateDir,
  pubsub: opts.pubsub,
  relay: { dataDirs: [demo.outDir], kacheryStorageDir: demo.kacheryStorageDir },
  user: DEMO_OWNER,
  ports: { web: base, storage: base + 1, storagePublic: base + 2, pubsub: base + 3, auth: base + 4, api: base + 5, worker: base + 6 },
  log: (line) => console.error(`  ${line}`),
});
writeFileSync(pidsFile, JSON.stringify(stack.children.map((c) => c.pid)));
const workspace = await createDemoWorkspace({ demo, env: stack.env, backendUri: stack.backendUri, storageUrl: stack.storage.url, appUrl: stack.webUrl });
const appLink = (params: Record<string, string>) => `${stack.webUrl}/?${new URLSearchParams({ backend: stack.backendUri, ...params })}`;

console.log(`
Web app: ${appLink({ workspace: workspace.workspaceUri })}
Demo sorting: ${appLink({ workspace: workspace.workspaceUri, sorting: workspace.main.sortingId })}
Backend URI: ${stack.backendUri}
Workspace URI: ${workspace.workspaceUri}
Sign in as: ${DEMO_OWNER} (owns the demo workspace; the local sign-in takes any address, no password)
API: ${stack.apiUrl}
Logs: ${join(stateDir, 'logs')}

In another terminal:  source ${join(opts.stateDir, 'local.env')}
                      npx sortingview task sortingview.get_backend_info.1 --kwargs '{}'
Up in ${((Date.now() - started) / 1000).toFixed(1)} s. Ctrl-C stops everything.`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.error(`\n${signal}: stopping…`);
  await stack.stop();
  rmSync(pidsFile, { force: true });
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
