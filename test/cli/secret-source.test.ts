/** The secret of sign, push and drain from --secret, --secret-file or PYUN_APP_SECRET: exactly one, never printed. */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_DEFAULT_PARK, SANDBOX_DEFAULT_SECRET } from '../../electron/sandbox/server.ts';
import { updateRecord } from '../fixtures/records.ts';
import { tempDir, useSandbox } from '../support/sandbox.ts';

const CLI = join(import.meta.dirname, '../../electron/cli/main.ts');
const dir = tempDir('cli-secret');
const { sandbox } = useSandbox();
const SECRET = SANDBOX_DEFAULT_SECRET;

type Run = { code: number | null; out: string; err: string; lines: string[] };
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base = { ...process.env };
  delete base.PYUN_APP_SECRET;
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { encoding: 'utf8', timeout: 20_000, env: { ...base, ...env } },
      (_e, out, err) => {
        resolve({ code: child.exitCode, out, err, lines: out.trim().split('\n') });
      },
    );
  });
}
function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}
const record = () =>
  file(
    `u-${Math.random().toString(36).slice(2)}.json`,
    JSON.stringify(updateRecord({ park_uuid: SANDBOX_DEFAULT_PARK })),
  );

describe('the secret from a file or the environment', () => {
  it('sign: --secret-file (BOM and trailing newline trimmed) and PYUN_APP_SECRET sign as --secret does', async () => {
    const f = record();
    const byFlag = await cli(['sign', '--endpoint', 'update', '--file', f, '--secret', SECRET]);
    expect(byFlag.code, byFlag.err).toBe(0);
    const byFile = await cli([
      'sign',
      '--endpoint',
      'update',
      '--file',
      f,
      '--secret-file',
      file('s.txt', `\uFEFF${SECRET}\r\n`),
    ]);
    expect(byFile.code, byFile.err).toBe(0);
    expect(byFile.lines).toEqual(byFlag.lines);
    const byEnv = await cli(['sign', '--endpoint', 'update', '--file', f], { PYUN_APP_SECRET: SECRET });
    expect(byEnv.lines).toEqual(byFlag.lines);
  });

  it('push: from the environment or a file, accepted by the platform, the secret nowhere in the output', async () => {
    const viaEnv = await cli(['push', '--endpoint', 'update', '--file', record(), '--base-url', sandbox().url], {
      PYUN_APP_SECRET: SECRET,
    });
    expect(viaEnv.code, viaEnv.err).toBe(0);
    const viaFile = await cli([
      'push',
      '--endpoint',
      'update',
      '--file',
      record(),
      '--base-url',
      sandbox().url,
      '--secret-file',
      file('s2.txt', `${SECRET}\n`),
    ]);
    expect(viaFile.code, viaFile.err).toBe(0);
    expect(sandbox().state().accepted.update).toHaveLength(2);
    for (const r of [viaEnv, viaFile]) expect(r.out + r.err).not.toContain(SECRET);
  });

  it('drain: --secret-file with --base-url and --park-uuid', async () => {
    const data = join(dir, 'data');
    const e = await cli([
      'enqueue',
      '--endpoint',
      'update',
      '--file',
      file('q.json', JSON.stringify(updateRecord())),
      '--data-dir',
      data,
    ]);
    expect(e.code, e.err).toBe(0);
    const d = await cli([
      'drain',
      '--data-dir',
      data,
      '--until-empty',
      '--base-url',
      sandbox().url,
      '--park-uuid',
      SANDBOX_DEFAULT_PARK,
      '--secret-file',
      file('s3.txt', SECRET),
    ]);
    expect(d.code, d.err).toBe(0);
    expect(sandbox().state().accepted.update).toHaveLength(1);
    expect(d.out + d.err).not.toContain(SECRET);
    const both = await cli(
      [
        'drain',
        '--data-dir',
        data,
        '--base-url',
        sandbox().url,
        '--park-uuid',
        SANDBOX_DEFAULT_PARK,
        '--secret',
        SECRET,
      ],
      { PYUN_APP_SECRET: SECRET },
    );
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/密钥只能有一个来源/);
  });

  it('none, two, a missing or an empty file: one clear line in Chinese', async () => {
    const f = record();
    const cases: [Run, RegExp][] = [
      [await cli(['sign', '--endpoint', 'update', '--file', f]), /缺少密钥.*--secret-file.*PYUN_APP_SECRET/],
      [await cli(['push', '--endpoint', 'update', '--file', f, '--base-url', sandbox().url]), /缺少密钥/],
      [
        await cli(['sign', '--endpoint', 'update', '--file', f, '--secret', 'a-secret'], {
          PYUN_APP_SECRET: 'b-secret',
        }),
        /密钥只能有一个来源.*--secret.*PYUN_APP_SECRET/,
      ],
      [
        await cli([
          'sign',
          '--endpoint',
          'update',
          '--file',
          f,
          '--secret',
          'a-secret',
          '--secret-file',
          file('x.txt', 'b-secret'),
        ]),
        /密钥只能有一个来源/,
      ],
      [
        await cli(['sign', '--endpoint', 'update', '--file', f, '--secret-file', join(dir, 'missing.txt')]),
        /--secret-file 找不到文件/,
      ],
      [
        await cli([
          'push',
          '--endpoint',
          'update',
          '--file',
          f,
          '--base-url',
          sandbox().url,
          '--secret-file',
          file('empty.txt', '\n'),
        ]),
        /密钥为空 \(--secret-file\)/,
      ],
    ];
    for (const [r, message] of cases) {
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(message);
    }
    expect(cases[2]![0].err).not.toContain('b-secret');
    expect(sandbox().state().received).toBe(0);
  });

  it('an error line that would echo the secret masks it, whichever source it came from', async () => {
    const secret = 'Echoed-Secret-42';
    const fromFile = await cli([
      'push',
      '--endpoint',
      'update',
      '--file',
      record(),
      '--base-url',
      `not a url ${secret}`,
      '--secret-file',
      file('e.txt', `${secret}\n`),
    ]);
    const fromEnv = await cli(
      ['push', '--endpoint', 'update', '--file', record(), '--base-url', `not a url ${secret}`],
      { PYUN_APP_SECRET: secret },
    );
    for (const r of [fromFile, fromEnv]) {
      expect(r.code).toBe(2);
      expect(r.err).toContain('--base-url 不是合法地址: not a url ***');
      expect(r.err).not.toContain(secret);
    }
  });
});
