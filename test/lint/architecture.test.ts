/**
 * The architecture rules of eslint.config.js can fail: each boundary of DESIGN.md is shown refusing
 * a forbidden import (and allowing its legal neighbour), through ESLint's Node API with the
 * repository's own config. Probes are linted as text at a path inside the tree (nothing is written)
 * except the import cycle, whose two files must exist for the resolver.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: root });

/** The distinct rule ids (and the messages) ESLint reports for `code` as if it were the file `path`. */
async function lint(path: string, code: string): Promise<{ rules: string[]; messages: string[] }> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return { rules: [...new Set(result.messages.map((m) => m.ruleId ?? 'fatal'))], messages: result.messages.map((m) => m.message) };
}

const uses = (...names: string[]) => `${names.map((n, i) => `import * as m${i} from '${n}';`).join('\n')}\nexport const used = [${names.map((_, i) => `m${i}`).join(', ')}];\n`;

describe('core/ does no I/O and depends on nothing outside core/', () => {
  it.each(['node:fs', 'node:child_process', '@google-cloud/storage', '@google-cloud/pubsub'])('refuses %s', async (name) => {
    for (const path of ['core/feeds/probe.ts', 'core/kernels/probe.test.ts']) {
      const r = await lint(path, uses(name));
      expect(r.rules, path).toEqual(['no-restricted-imports']);
      expect(r.messages[0]).toMatch(/core\/ (is pure TypeScript|imports no cloud SDK)/);
    }
  });

  it.each(['../../web/route', '../../relay/fairQueue', '../../functions/api/auth', '../../emulator/ports', '../../adapters/gcs/objects'])(
    'refuses %s', async (name) => {
      const r = await lint('core/feeds/probe.ts', uses(name));
      expect(r.rules).toEqual(['import-x/no-restricted-paths']);
      expect(r.messages[0]).toMatch(/dependencies point inwards/);
    });

  it('allows core/ and pure packages', async () => {
    expect((await lint('core/feeds/probe.ts', uses('../protocol', 'zod'))).rules).toEqual([]);
  });
});

describe('web/ imports no worker code, relay or functions', () => {
  it.each(['../../core/tasks/catalog', '../../core/tasks/views/averageWaveform', '../../core/tasks/recordingTasks', '../../core/tasks/builtin'])(
    'refuses the task implementation %s', async (name) => {
      const r = await lint('web/views/probe.ts', uses(name));
      expect(r.rules).toEqual(['import-x/no-restricted-paths']);
      expect(r.messages[0]).toMatch(/imports task contracts \(core\/tasks\/contracts\), never their implementations/);
    });

  it('allows the task contracts and the planners\' shared constants', async () => {
    expect((await lint('web/views/probe.ts', uses('../../core/tasks/contracts/averageWaveform', '../../core/tasks/contract', '../../core/tasks/views/limits', '../../core/tasks/views/pyramid'))).rules).toEqual([]);
  });

  it.each(['../../relay/fairQueue', '../../functions/api/auth', '../../emulator/ports', '../../adapters/gcs/objects'])('refuses %s', async (name) => {
    const r = await lint('web/views/probe.ts', uses(name));
    expect(r.rules).toEqual(['import-x/no-restricted-paths']);
    expect(r.messages[0]).toMatch(/web\/ runs in the browser/);
  });

  it('allows core/', async () => {
    expect((await lint('web/views/probe.ts', uses('../../core/protocol', '../../core/client/httpPolicy'))).rules).toEqual([]);
  });
});

describe('the shells reach each other only through core/ (production code)', () => {
  it.each([
    ['relay/probe.ts', '../functions/api/auth'],
    ['relay/probe.ts', '../emulator/ports'],
    ['functions/api/probe.ts', '../../relay/fairQueue'],
    ['functions/api/probe.ts', '../../emulator/ports'],
    ['adapters/gcs/probe.ts', '../../functions/api/auth'],
    ['adapters/gcs/probe.ts', '../../relay/fairQueue'],
  ])('%s refuses %s', async (path, name) => {
    const r = await lint(path, uses(name));
    expect(r.rules).toEqual(['import-x/no-restricted-paths']);
    expect(r.messages[0]).toMatch(/is a shell|import core\/ only/);
  });

  it('allows core/ and adapters/, and tests may start an emulator', async () => {
    expect((await lint('relay/probe.ts', uses('../core/protocol', '../adapters/gcs/objects'))).rules).toEqual([]);
    expect((await lint('functions/api/probe.ts', uses('../../core/protocol', '../../adapters/gcs/objects'))).rules).toEqual([]);
    expect((await lint('relay/probe.test.ts', uses('../emulator/ports'))).rules).toEqual([]);
  });
});

describe('production code imports no test seams', () => {
  it.each([
    ['relay/probe.ts', './formats/testing'],
    ['core/tasks/probe.ts', './views/testing/fakeRelay'],
    ['functions/api/probe.ts', '../../core/feeds/feedLog.case'],
    ['emulator/probe.ts', '../relay/service.test'],
    ['relay/probe.ts', '../test/fixtures/summary/hook.fixture'],
    ['relay/formats/probe.ts', '../../scripts/demoData/spikeinterfaceSorting.fixtures'],
  ])('%s refuses %s', async (path, name) => {
    const r = await lint(path, uses(name));
    expect(r.rules).toEqual(['no-restricted-imports']);
    expect(r.messages[0]).toMatch(/for tests only/);
  });

  it('test code may import them', async () => {
    expect((await lint('relay/probe.test.ts', uses('./formats/testing'))).rules).toEqual([]);
    expect((await lint('core/kernels/waveforms/testing/probe.ts', uses('./synth'))).rules).toEqual([]);
  });

  it('a seam is named testing.ts or lives in testing/, not *Testing.ts', async () => {
    const r = await lint('relay/probeTesting.ts', 'export const x = 1;\n');
    expect(r.rules).toEqual(['no-restricted-syntax']);
    expect(r.messages[0]).toMatch(/Name a test seam testing\.ts/);
  });
});

describe('import cycles', () => {
  // A dot-folder: tsc's and vitest's globs skip it while it exists.
  const dir = join(root, 'core', `.lint-probe-${process.pid}`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a cycle between two modules', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.ts'), "import { b } from './b';\nexport const a = () => b;\n");
    writeFileSync(join(dir, 'b.ts'), "import { a } from './a';\nexport const b = () => a;\n");
    const [result] = await eslint.lintFiles([join(dir, 'a.ts')]);
    expect(result.messages.map((m) => m.ruleId)).toEqual(['import-x/no-cycle']);
  });
});

describe('module file names', () => {
  it('are camelCase in the code folders (kebab-case refused), scripts keep their command names', async () => {
    expect((await lint('emulator/pubsub/publisher-service.ts', 'export const x = 1;\n')).messages[0]).toMatch(/camelCase/);
    expect((await lint('emulator/pubsub/publisherService.ts', 'export const x = 1;\n')).rules).toEqual([]);
    expect((await lint('scripts/make-demo-data.ts', 'export const x = 1;\n')).rules).toEqual([]);
  });
});
