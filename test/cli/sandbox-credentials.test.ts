/**
 * `cli sandbox` prints what an installer needs to use it: its address, park_uuid and secret (the sandbox's own demo
 * credentials), in the words of the console's settings and as push/drain flags that work as printed.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_DEFAULT_PARK, SANDBOX_DEFAULT_SECRET } from '../../electron/sandbox/server.ts';
import { updateRecord } from '../fixtures/records.ts';
import { tempDir } from '../support/sandbox.ts';

const CLI = join(import.meta.dirname, '../../electron/cli/main.ts');
const dir = tempDir('cli-sandbox-credentials');
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await gone;
  }
});

/** Starts `cli sandbox` and waits until it has said everything it says at start (its last line names Ctrl+C). */
function startSandbox(args: string[] = []): Promise<{ url: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const check = () => {
      if (stdout.includes('\n') && stderr.includes('Ctrl+C')) resolve({ url: stdout.split('\n')[0]!, stderr });
    };
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      check();
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      check();
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code}): ${stderr}`)));
  });
}

function push(flags: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const file = join(dir, `u-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(updateRecord()));
  const env = { ...process.env };
  delete env.PYUN_APP_SECRET;
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, 'push', '--endpoint', 'update', '--file', file, ...flags],
      { encoding: 'utf8', timeout: 20_000, env },
      (_e, out, err) => resolve({ code: child.exitCode, out, err }),
    );
  });
}

/** The flags of the line that says how push and drain reach the sandbox, split as a shell would split them. */
function printedFlags(stderr: string): string[] {
  const line = stderr.split('\n').find((l) => l.includes('--base-url'));
  expect(line, stderr).toBeDefined();
  return line!.slice(line!.indexOf('--base-url')).trim().split(/\s+/);
}

describe('cli sandbox', () => {
  it('prints its URL on stdout and its park_uuid and secret, said to be its own demo credentials', async () => {
    const { url, stderr } = await startSandbox();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stderr).toMatch(new RegExp(`park_uuid\\s+${SANDBOX_DEFAULT_PARK}`));
    expect(stderr).toMatch(new RegExp(`密钥\\s+${SANDBOX_DEFAULT_SECRET}`));
    expect(stderr).toContain('演示凭据');
    expect(stderr).toContain('不是 P云');
    expect(stderr).toContain('自定义地址');
    expect(printedFlags(stderr)).toEqual([
      '--base-url',
      url,
      '--park-uuid',
      SANDBOX_DEFAULT_PARK,
      '--secret',
      SANDBOX_DEFAULT_SECRET,
    ]);
  });

  it('the flags it prints, for a park and secret of its own, push a record that the sandbox accepts', async () => {
    const { stderr } = await startSandbox(['--park-uuid', 'INSTALL-TEST-PARK', '--secret', 'install-Secret-9']);
    expect(stderr).toMatch(/park_uuid\s+INSTALL-TEST-PARK/);
    expect(stderr).toMatch(/密钥\s+install-Secret-9/);
    const r = await push(printedFlags(stderr));
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ outcome: 'accepted' });
  });
});
