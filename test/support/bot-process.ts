import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/**
 * The production build (`tsc -p tsconfig.json`, what the image runs) in a folder of its own, with the
 * checkout's node_modules: for tests that need the bot as a real process, where an unhandled rejection
 * would end it (Jest catches them in its own process).
 */
export function buildProductionBot(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'nlb-bot-process-'));
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json'), '--outDir', join(dir, 'dist')],
    {
      stdio: 'pipe',
    },
  );
  writeFileSync(join(dir, 'package.json'), readFileSync(join(root, 'package.json')));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface BotProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything the process wrote, stdout and stderr. */
  output(): string;
  /** Its JSON log lines. */
  logs(): Array<Record<string, unknown>>;
  readonly exited: Promise<number | null>;
  alive(): boolean;
  /** Waits for a log line that matches, or fails with what was awaited and the output so far. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs: number, what: string): Promise<Record<string, unknown>>;
}

/** Starts `node --optimize-for-size dist/main.js` (package.json's start:prod) in `dir` with exactly `env`. */
export function startBotProcess(dir: string, env: Record<string, string>): BotProcess {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const args = (scripts['start:prod'] ?? '').split(/\s+/).slice(1);
  const credentials = { AWS_ACCESS_KEY_ID: 'AKIASTANDINEXAMPLE00', AWS_SECRET_ACCESS_KEY: 'stand-in-secret-access-key-not-real' };
  const child = spawn(process.execPath, args, {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, ...credentials, ...env },
    stdio: 'pipe',
  });
  let text = '';
  let exitCode: number | null | undefined;
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const logs = () =>
    text.split('\n').flatMap((line) => {
      try {
        return line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
  return {
    child,
    output: () => text,
    logs,
    exited,
    alive: () => exitCode === undefined,
    async waitForLog(match, timeoutMs, what) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = logs().find(match);
        if (found !== undefined) return found;
        if (exitCode !== undefined) throw new Error(`the bot exited (${exitCode}) while waiting for ${what}:\n${text.slice(-3000)}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${text.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}
