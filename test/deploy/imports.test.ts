import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const root = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}

/** Runs dependency-cruiser with the project's rules (.dependency-cruiser.cjs) in `cwd`; the rule violations it finds. */
async function violations(cwd: string, paths: readonly string[]): Promise<Violation[]> {
  const bin = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  const args = [bin, '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'json', ...paths];
  // Exits non-zero when it finds violations; the JSON report is on stdout either way.
  const { stdout } = await run(process.execPath, args, { cwd, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout?: string }) => ({
    stdout: error.stdout ?? '',
  }));
  const report = JSON.parse(stdout) as { summary: { violations: Violation[] } };
  return report.summary.violations;
}

describe('the import rules', () => {
  it('hold for the bot and the dev tooling: no forbidden import, no cycle', async () => {
    expect(await violations(root, ['src', 'dev'])).toEqual([]);
  }, 60_000);

  describe('on a tree that breaks each of them once', () => {
    let fixture: string;
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(fixture, path)), { recursive: true });
      writeFileSync(join(fixture, path), text);
    };
    beforeAll(() => {
      fixture = mkdtempSync(join(tmpdir(), 'nlb-bot-imports-'));
      write(
        'tsconfig.test.json',
        JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' }, include: ['src', 'dev'] }),
      );
      write('src/errors.ts', 'export const e = 1;\n');
      write('src/config.ts', 'export const c = 1;\n');
      write('src/slack/render/blocks.ts', 'export const b = 1;\n');
      write(
        'src/domain/host-name.ts',
        "import { e } from '../errors.js';\nimport { isIP } from 'node:net';\nexport const h = [e, isIP];\n",
      );
      write('src/domain/ownership.ts', "import { b } from '../slack/render/blocks.js';\nexport const o = b;\n");
      write('src/commands/ips.ts', "import { b } from '../slack/render/blocks.js';\nexport const i = b;\n");
      write('src/alerts/a.ts', "import { x } from './b.js';\nexport const a = x;\n");
      write('src/alerts/b.ts', "import { a } from './a.js';\nexport const x = 1;\nexport const y = a;\n");
      write('src/ports/kube/kube-config.ts', "import { c } from '../../config.js';\nexport const k = c;\n");
      write('src/main.ts', "import { s } from '../dev/sandbox/start-sandbox.js';\nexport const m = s;\n");
      write('dev/sandbox/start-sandbox.ts', 'export const s = 1;\n');
    });
    afterAll(() => rmSync(fixture, { recursive: true, force: true }));

    it('fails on every forbidden import and on the cycle, naming the rule and the two modules', async () => {
      const found = (await violations(fixture, ['src', 'dev']))
        .map((violation) => `${violation.rule.name}: ${violation.from} -> ${violation.to}`)
        .sort();
      expect(found).toEqual(
        [
          'domain-is-pure: src/domain/ownership.ts -> src/slack/render/blocks.ts',
          'core-does-not-know-slack: src/commands/ips.ts -> src/slack/render/blocks.ts',
          'no-cycles: src/alerts/a.ts -> src/alerts/b.ts',
          'ports-do-not-read-config: src/ports/kube/kube-config.ts -> src/config.ts',
          'bot-ships-alone: src/main.ts -> dev/sandbox/start-sandbox.ts',
        ].sort(),
      );
    }, 60_000);
  });
});
