import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

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
    const ignore = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
    expect(ignore[ignore.findIndex((line) => !line.startsWith('#'))]).toBe('*');
    const allowed = ignore.filter((line) => line.startsWith('!'));
    expect(allowed.sort()).toEqual(['!package-lock.json', '!package.json', '!src/', '!tsconfig.json']);
  });
});

describe('the production start command', () => {
  let dir: string;

  /** Starts `node <flags> dist/main.js` in the installed folder; resolves with its output so far and its exit. */
  function start(env: Record<string, string>) {
    const [command, ...args] = startCommand();
    expect(command).toBe('node');
    expect(args.at(-1)).toBe('dist/main.js');
    const child = spawn(process.execPath, args, { cwd: dir, env: { PATH: process.env['PATH'] ?? '', HOME: dir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = { text: '' };
    child.stdout.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, output, exited };
  }

  async function waitForStatus(url: string): Promise<number> {
    let status = 0;
    for (let attempt = 0; attempt < 150 && status !== 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await fetch(url).then((response) => response.status, () => 0);
    }
    return status;
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nlb-bot-prod-'));
    cpSync(join(root, 'package.json'), join(dir, 'package.json'));
    cpSync(join(root, 'package-lock.json'), join(dir, 'package-lock.json'));
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json'), '--outDir', join(dir, 'dist')], {
      stdio: 'pipe',
    });
    execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'pipe' });
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('installs production dependencies only', () => {
    expect(existsSync(join(dir, 'node_modules', '@slack', 'bolt'))).toBe(true);
    expect(existsSync(join(dir, 'node_modules', 'typescript'))).toBe(false);
    expect(existsSync(join(dir, 'node_modules', 'jest'))).toBe(false);
  });

  it('runs the built output until /healthz answers, and stops cleanly on SIGTERM', async () => {
    const port = 39_000 + Math.floor(Math.random() * 1000);
    const bot = start({
      NODE_ENV: 'production',
      PORT: String(port),
      SLACK_BOT_TOKEN: 'xoxb-production-start-test',
      SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
      // Nothing answers on these, and there is no kubeconfig: the process must still start and stay alive.
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      LOG_LEVEL: 'warn',
    });
    const status = await waitForStatus(`http://127.0.0.1:${port}/healthz`);
    expect({ status, output: status === 200 ? '' : bot.output.text }).toEqual({ status: 200, output: '' });
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  }, 60_000);

  it('starts the sandbox without Slack settings, reading PORT from a .env file, and stops on Ctrl+C', async () => {
    const port = 40_000 + Math.floor(Math.random() * 1000);
    writeFileSync(join(dir, '.env'), `# the console's port\nPORT=${port}\n`);
    try {
      const sandbox = start({});
      const status = await waitForStatus(`http://127.0.0.1:${port}/`);
      expect({ status, output: status === 200 ? '' : sandbox.output.text }).toEqual({ status: 200, output: '' });
      expect(sandbox.output.text).toContain('nlb-ingress-bot SANDBOX');
      expect(sandbox.output.text).toContain(`Open the console:  http://127.0.0.1:${port}/`);
      sandbox.child.kill('SIGINT');
      expect(await sandbox.exited).toBe(0);
    } finally {
      rmSync(join(dir, '.env'), { force: true });
    }
  }, 60_000);
});
