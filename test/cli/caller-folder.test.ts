/**
 * Paths on the command line (--file, --secret-file, --data-dir) are taken relative to the folder the command was
 * typed in: `npm run` runs the CLI in the package root and gives that folder as INIT_CWD. Image paths inside a file
 * stay relative to the file; a file that is not there is named by its full path.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_DEFAULT_PARK, SANDBOX_DEFAULT_SECRET } from '../../electron/sandbox/server.ts';
import { leaveRecord, updateRecord } from '../fixtures/records.ts';
import { tempDir, useSandbox } from '../support/sandbox.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(REPO_ROOT, 'electron/cli/main.ts');
const { sandbox } = useSandbox();

type Run = { code: number | null; out: string; err: string };

/** The CLI as `npm run -s cli` runs it: in the package root, with the caller's folder as INIT_CWD (or none). */
function cli(args: string[], where: { initCwd?: string; cwd?: string } = {}): Promise<Run> {
  const env = { ...process.env };
  delete env.PYUN_APP_SECRET;
  delete env.INIT_CWD;
  if (where.initCwd) env.INIT_CWD = where.initCwd;
  return new Promise((res) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { encoding: 'utf8', timeout: 20_000, cwd: where.cwd ?? REPO_ROOT, env },
      (_e, out, err) => res({ code: child.exitCode, out, err }),
    );
  });
}

/** A caller's folder: leave records in `sub/` whose image is `img/exit.jpg` beside them, and a secret file. */
function callerFolder() {
  const dir = tempDir('cli-caller');
  mkdirSync(join(dir, 'sub', 'img'), { recursive: true });
  writeFileSync(join(dir, 'sub', 'img', 'exit.jpg'), Buffer.alloc(2048, 7));
  const leave = { ...leaveRecord(), park_uuid: SANDBOX_DEFAULT_PARK, leave_image_file: 'img/exit.jpg' };
  writeFileSync(join(dir, 'sub', 'leave.json'), JSON.stringify(leave));
  // enqueue's records carry no credentials: the data folder's settings do.
  writeFileSync(join(dir, 'sub', 'leave.jsonl'), `${JSON.stringify({ ...leave, park_uuid: undefined })}\n`);
  writeFileSync(join(dir, 'update.json'), JSON.stringify({ ...updateRecord(), park_uuid: SANDBOX_DEFAULT_PARK }));
  writeFileSync(join(dir, 'secret.txt'), `${SANDBOX_DEFAULT_SECRET}\n`);
  return dir;
}

describe('paths relative to the folder the command was typed in (INIT_CWD)', () => {
  it('sign: --file and --secret-file from INIT_CWD, the image relative to the file, as with full paths', async () => {
    const dir = callerFolder();
    const relative = await cli(
      ['sign', '--endpoint', 'leave', '--file', 'sub/leave.json', '--secret-file', 'secret.txt'],
      { initCwd: dir },
    );
    expect(relative.code, relative.err).toBe(0);
    const absolute = await cli([
      'sign',
      '--endpoint',
      'leave',
      '--file',
      join(dir, 'sub', 'leave.json'),
      '--secret-file',
      join(dir, 'secret.txt'),
    ]);
    expect(absolute.code, absolute.err).toBe(0);
    expect(relative.out).toBe(absolute.out);
    expect(relative.out).toContain('leave_image_hash=');
  });

  it('push: the record and its image from INIT_CWD reach the platform', async () => {
    const dir = callerFolder();
    const r = await cli(
      ['push', '--endpoint', 'leave', '--file', 'sub/leave.json', '--secret-file', 'secret.txt'].concat([
        '--base-url',
        sandbox().url,
      ]),
      { initCwd: dir },
    );
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ outcome: 'accepted' });
    expect(sandbox().state().accepted.leave).toHaveLength(1);
  });

  it('enqueue and status: --file and --data-dir from INIT_CWD; the data folder is made there', async () => {
    const dir = callerFolder();
    const r = await cli(['enqueue', '--endpoint', 'leave', '--file', 'sub/leave.jsonl', '--data-dir', 'data'], {
      initCwd: dir,
    });
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(dir, 'data'))).toBe(true);
    expect(existsSync(join(REPO_ROOT, 'data'))).toBe(false);
    const status = await cli(['status', '--data-dir', 'data'], { initCwd: dir });
    expect(status.code, status.err).toBe(0);
    expect(JSON.parse(status.out).counts.waiting).toBe(1);
  });

  it('a file that is not there is named by the full path looked for', async () => {
    const dir = callerFolder();
    const missing = await cli(['sign', '--endpoint', 'update', '--file', 'nope.json', '--secret-file', 'secret.txt'], {
      initCwd: dir,
    });
    expect(missing.code).toBe(2);
    expect(missing.err.trim()).toBe(`找不到文件: ${join(dir, 'nope.json')}`);
    const noSecret = await cli(['sign', '--endpoint', 'update', '--file', 'update.json', '--secret-file', 'no.txt'], {
      initCwd: dir,
    });
    expect(noSecret.code).toBe(2);
    expect(noSecret.err).toContain(`找不到文件: ${join(dir, 'no.txt')}`);
    const enqueue = await cli(['enqueue', '--endpoint', 'update', '--file', 'gone.jsonl', '--data-dir', 'data'], {
      initCwd: dir,
    });
    expect(enqueue.code).toBe(2);
    expect(enqueue.err).toContain(join(dir, 'gone.jsonl'));
  });

  it('without INIT_CWD (node run directly) paths are relative to the working folder', async () => {
    const dir = callerFolder();
    const r = await cli(['sign', '--endpoint', 'update', '--file', 'update.json', '--secret-file', 'secret.txt'], {
      cwd: dir,
    });
    expect(r.code, r.err).toBe(0);
    const missing = await cli(
      ['push', '--endpoint', 'update', '--file', 'x.json', '--base-url', sandbox().url, '--secret', 's'],
      { cwd: dir },
    );
    expect(missing.err).toContain(join(dir, 'x.json'));
  });
});
