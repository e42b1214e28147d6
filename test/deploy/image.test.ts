import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { unsupportedNode } from '../../src/node-version.js';

const root = join(import.meta.dirname, '..', '..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
/** package.json's start:prod, the production start command, split into words. */
function startCommand(): string[] {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  return (scripts['start:prod'] ?? '').split(/\s+/);
}

const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };

describe('the container image', () => {
  it('runs on the Node version the project pins', () => {
    const pinned = lock.packages['node_modules/node']?.version;
    expect(pinned).toMatch(/^24\.\d+\.\d+$/);
    expect(dockerfile).toContain(`ARG NODE_IMAGE=node:${pinned}-bookworm-slim`);
    const stages = dockerfile.split('\n').filter((line) => line.startsWith('FROM '));
    expect(stages.length).toBeGreaterThanOrEqual(3);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the Dockerfile's own ARG reference, not a template
    expect(stages.every((line) => line.startsWith('FROM ${NODE_IMAGE}'))).toBe(true);
  });

  it('builds with dev dependencies and runs with production dependencies only', () => {
    expect(dockerfile).toMatch(/AS build[\s\S]*npm ci [^\n]*\n[\s\S]*npm run build/);
    expect(dockerfile).toMatch(/AS deps[\s\S]*npm ci --omit=dev/);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toContain('COPY --from=deps');
    expect(runtime).toContain('COPY --from=build');
    expect(runtime).not.toMatch(/npm (ci|install)/);
  });

  it('runs as a non-root user, with node itself as the entrypoint (the production start command) so SIGTERM reaches it', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    const user = /^USER (\S+)/m.exec(runtime)?.[1] ?? 'root';
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(runtime).toContain(`ENTRYPOINT ${JSON.stringify(startCommand()).replace(/","/g, '", "')}`);
    expect(runtime).toContain('STOPSIGNAL SIGTERM');
  });

  it('bakes in no secrets and sends only what the build needs', () => {
    expect(dockerfile).not.toMatch(/SLACK_|TOKEN|SECRET|AWS_ACCESS/);
    const ignore = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim());
    expect(ignore[ignore.findIndex((line) => !line.startsWith('#'))]).toBe('*');
    const allowed = ignore.filter((line) => line.startsWith('!'));
    expect(allowed.sort()).toEqual(['!package-lock.json', '!package.json', '!src/', '!tsconfig.json']);
  });
});

describe('the production start command', () => {
  let dir: string;

  /** Starts `node <args>` in `cwd`; resolves with its output so far and its exit. */
  function spawnNode(args: readonly string[], cwd: string, env: Record<string, string>) {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', HOME: cwd, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { text: '' };
    child.stdout.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, output, exited };
  }

  /** Starts `node <flags> dist/main.js` (package.json's start:prod) in the production install. */
  function start(env: Record<string, string>) {
    const [command, ...args] = startCommand();
    expect(command).toBe('node');
    expect(args.at(-1)).toBe('dist/main.js');
    return spawnNode(args, dir, env);
  }

  async function waitForStatus(url: string): Promise<number> {
    let status = 0;
    for (let attempt = 0; attempt < 150 && status !== 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await fetch(url).then(
        (response) => response.status,
        () => 0,
      );
    }
    return status;
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nlb-bot-prod-'));
    cpSync(join(root, 'package.json'), join(dir, 'package.json'));
    cpSync(join(root, 'package-lock.json'), join(dir, 'package-lock.json'));
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json'), '--outDir', join(dir, 'dist')],
      {
        stdio: 'pipe',
      },
    );
    execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: dir,
      stdio: 'pipe',
    });
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('installs production dependencies only', () => {
    expect(existsSync(join(dir, 'node_modules', '@slack', 'bolt'))).toBe(true);
    for (const devOnly of ['typescript', 'jest', 'zod', 'dotenv', 'playwright-core'])
      expect({ devOnly, installed: existsSync(join(dir, 'node_modules', devOnly)) }).toEqual({ devOnly, installed: false });
  });

  it('declares as production dependencies exactly the packages src/ imports', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const imported = new Set<string>();
    for (const file of readdirSync(join(root, 'src'), { recursive: true }) as string[]) {
      if (!file.endsWith('.ts')) continue;
      for (const [, specifier = ''] of readFileSync(join(root, 'src', file), 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^'.][^']*)'/g)) {
        if (specifier.startsWith('node:')) continue;
        imported.add(
          specifier
            .split('/')
            .slice(0, specifier.startsWith('@') ? 2 : 1)
            .join('/'),
        );
      }
    }
    expect(Object.keys(manifest.dependencies).sort()).toEqual([...imported].sort());
  });

  it('builds the bot only: no sandbox, stand-in or console module is in dist/', () => {
    const files = (readdirSync(join(dir, 'dist'), { recursive: true }) as string[]).filter((file) => file.endsWith('.js'));
    expect(files).toContain('main.js');
    expect(files.filter((file) => /sandbox|stand-in|console|world/.test(file))).toEqual([]);
    for (const file of files)
      expect({
        file,
        dev: /\bdev\//.test(
          readFileSync(join(dir, 'dist', file), 'utf8')
            .match(/from ['"][^'"]+['"]/g)
            ?.join(' ') ?? '',
        ),
      }).toEqual({ file, dev: false });
  });

  it('runs the built output until /healthz answers, and stops cleanly on SIGTERM', async () => {
    const port = 39_000 + Math.floor(Math.random() * 1000);
    const bot = start({
      NODE_ENV: 'production',
      PORT: String(port),
      SLACK_BOT_TOKEN: 'xoxb-production-start-test',
      SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
      // Nothing answers on these (Slack, Kubernetes, AWS): the process must still start and stay alive.
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      KUBECONFIG: unreachableKubeconfig(),
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      LOG_LEVEL: 'warn',
    });
    const status = await waitForStatus(`http://127.0.0.1:${port}/healthz`);
    expect({ status, output: status === 200 ? '' : bot.output.text }).toEqual({ status: 200, output: '' });
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  }, 60_000);

  it('refuses to start without a way to reach Kubernetes, in one line, with exit 78 (no silent localhost:8080)', async () => {
    const bot = start({
      NODE_ENV: 'production',
      SLACK_BOT_TOKEN: 'xoxb-production-start-test',
      SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
      AWS_REGION: 'eu-west-1',
    });
    expect(await bot.exited).toBe(78);
    expect(bot.output.text).toContain('KUBECONFIG is not set,');
    expect(bot.output.text).toContain('and the bot is not in a Pod: it has no way to reach Kubernetes');
  }, 60_000);

  it("on the machine's older Node.js (when there is one), says which Node it needs instead of crashing in undici", async () => {
    const machineNode = '/usr/bin/node';
    const version = existsSync(machineNode)
      ? execFileSync(machineNode, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '')
      : undefined;
    if (version === undefined || unsupportedNode(version) === undefined) return;
    const child = spawn(machineNode, ['dist/main.js'], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exit) => resolve(exit)));
    expect({ code, text }).toEqual({ code: 1, text: unsupportedNode(version) });
  }, 60_000);

  it('never starts a sandbox: without Slack settings it names the missing variables and exits 78', async () => {
    const bot = start({ AWS_REGION: 'eu-west-1' });
    expect(await bot.exited).toBe(78);
    expect(bot.output.text).toContain('SLACK_BOT_TOKEN is required');
    expect(bot.output.text).not.toContain('SANDBOX');
  }, 60_000);
});

describe('npm start (the dev entry)', () => {
  let build: string;
  beforeAll(() => {
    build = mkdtempSync(join(tmpdir(), 'nlb-bot-dev-'));
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'dev', 'tsconfig.json'), '--outDir', build],
      { stdio: 'pipe' },
    );
    cpSync(join(root, 'dev', 'sandbox', 'console', 'assets'), join(build, 'dev', 'sandbox', 'console', 'assets'), { recursive: true });
    // The compiled modules find their dependencies in the checkout's node_modules, as build/ does.
    symlinkSync(join(root, 'node_modules'), join(build, 'node_modules'));
  }, 180_000);
  afterAll(() => rmSync(build, { recursive: true, force: true }));

  it('refuses a .env value that .env reads as a comment (ALERT_CHANNEL=#alerts), naming it, with exit 78', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'nlb-bot-dev-cwd-'));
    writeFileSync(join(cwd, '.env'), 'ALERT_CHANNEL=#alerts\n');
    try {
      const child = spawn(process.execPath, [join(build, 'dev', 'start.js')], {
        cwd,
        env: { PATH: process.env['PATH'] ?? '', HOME: cwd },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', (exit) => resolve(exit)));
      expect(code).toBe(78);
      expect(text).toContain('ALERT_CHANNEL in .env starts with #, which .env reads as a comment (so ALERT_CHANNEL is empty)');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);

  it('starts the sandbox without Slack settings, reading PORT from a .env file, and stops on Ctrl+C', async () => {
    const port = 40_000 + Math.floor(Math.random() * 1000);
    const cwd = mkdtempSync(join(tmpdir(), 'nlb-bot-dev-cwd-'));
    writeFileSync(join(cwd, '.env'), `# the console's port\nPORT=${port}\n`);
    try {
      const child = spawn(process.execPath, [join(build, 'dev', 'start.js')], {
        cwd,
        env: { PATH: process.env['PATH'] ?? '', HOME: cwd },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      let status = 0;
      for (let attempt = 0; attempt < 150 && status !== 200; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = await fetch(`http://127.0.0.1:${port}/console.js`).then(
          (response) => response.status,
          () => 0,
        );
      }
      expect({ status, output: status === 200 ? '' : text }).toEqual({ status: 200, output: '' });
      expect(text).toContain('nlb-ingress-bot SANDBOX');
      expect(text).toContain(`Open the console:  http://127.0.0.1:${port}/`);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});

/** A kubeconfig whose API server does not answer (port 9 on loopback): Kubernetes is away, the bot must not end. */
function unreachableKubeconfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nlb-bot-kubeconfig-'));
  const path = join(dir, 'kubeconfig');
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{ name: away, cluster: { server: "http://127.0.0.1:9", insecure-skip-tls-verify: true } }]',
      'users: [{ name: away, user: { token: t } }]',
      'contexts: [{ name: away, context: { cluster: away, user: away } }]',
      'current-context: away',
      '',
    ].join('\n'),
  );
  return path;
}
