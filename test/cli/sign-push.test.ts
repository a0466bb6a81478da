/** The installer's command line, run as a real process with the project's Node. */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_DEFAULT_PARK, SANDBOX_DEFAULT_SECRET } from '../../electron/sandbox/server.ts';
import { md5Upper } from '../../electron/platform/sign.ts';
import { LEAVE_PARAMS, LEAVE_PLAIN, LEAVE_SIGN } from '../fixtures/vendor-vectors.ts';
import { leaveRecord, updateRecord } from '../fixtures/records.ts';
import { tempDir, useSandbox } from '../support/sandbox.ts';

const CLI = join(import.meta.dirname, '../../electron/cli/main.ts');
const dir = tempDir('cli-test');
const { sandbox } = useSandbox();

/** Async: the sandbox answering the child lives in this process. */
function cli(...args: string[]): Promise<{ code: number | null; out: string; err: string; lines: string[] }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000 }, (_e, out, err) => {
      resolve({ code: child.exitCode, out, err, lines: out.trim().split('\n') });
    });
  });
}
function file(name: string, content: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

describe('cli sign', () => {
  it('prints the masked plain text, then the signature on the last line (the vendor leave sample)', async () => {
    // The sample as a record: payment_list as its JSON text; charge_type, which the record needs and the sample
    // lacks; no leave_image_hash, which needs its file (the sample's image is not published).
    const { leave_image_hash: hash, ...params } = LEAVE_PARAMS;
    const r = await cli(
      'sign',
      '--endpoint',
      'leave',
      '--secret',
      '123',
      '--file',
      file('leave.json', { ...params, charge_type: '1' }),
    );
    expect(r.code, r.err).toBe(0);
    const plain = LEAVE_PLAIN.replace('&car_type=1&', '&car_type=1&charge_type=1&').replace(
      `&leave_image_hash=${hash}`,
      '',
    );
    expect(r.lines).toEqual([`${plain}&app_secret=***`, md5Upper(`${plain}&app_secret=123`)]);
    // Without charge_type the sample signs to the vendor's published signature (the plain text as printed).
    expect(md5Upper(`${LEAVE_PLAIN}&app_secret=123`)).toBe(LEAVE_SIGN);
  });

  it('signs the exact body text for vip-recharge', async () => {
    const body = '{"park_uuid":"P","row":[{"plate":"粤X33333"}]}';
    const r = await cli('sign', '--endpoint', 'vip-recharge', '--secret', 's3cr3t', '--file', file('vip.json', body));
    expect(r.lines[0]).toBe(`${body}&app_secret=***`);
    expect(r.lines[1]).toMatch(/^[0-9A-F]{32}$/);
    expect(r.out).not.toContain('s3cr3t');
  });
});

describe('cli push', () => {
  const base = () => ['--base-url', sandbox().url, '--park-uuid', SANDBOX_DEFAULT_PARK];

  it('sends once and prints the outcome as one JSON line; exit 0 only for accepted', async () => {
    const r = await cli(
      'push',
      '--endpoint',
      'update',
      '--file',
      file('u.json', updateRecord()),
      ...base(),
      '--secret',
      SANDBOX_DEFAULT_SECRET,
    );
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(1);
    expect(JSON.parse(r.lines[0]!)).toMatchObject({ outcome: 'accepted', code: '1001', httpStatus: 200, hint: null });
    expect(sandbox().state().accepted.update).toHaveLength(1);
  });

  it('sends images named by path relative to the file', async () => {
    writeFileSync(join(dir, 'exit.jpg'), Buffer.alloc(5000, 7));
    const r = await cli(
      'push',
      '--endpoint',
      'leave',
      '--file',
      file('l.json', leaveRecord({ leave_image_file: 'exit.jpg' })),
      ...base(),
      '--secret',
      SANDBOX_DEFAULT_SECRET,
    );
    expect(JSON.parse(r.lines[0]!).outcome).toBe('accepted');
    expect(sandbox().state().accepted.leave[0]!.files[0]).toMatchObject({ field: 'leave_image_file', size: 5000 });
  });

  it('a wrong secret: not accepted, non-zero exit, the secret never printed', async () => {
    const r = await cli(
      'push',
      '--endpoint',
      'leave',
      '--file',
      file('l2.json', leaveRecord()),
      ...base(),
      '--secret',
      'my-wrong-secret',
    );
    expect(r.code).toBe(1);
    const o = JSON.parse(r.lines[0]!);
    expect(o.outcome).toBe('ignored');
    expect(o.diagnosis.identical).toBe(true);
    expect(r.out + r.err).not.toContain('my-wrong-secret');
    // In production mode the vendor counts a hint as accepted.
    const p = await cli(
      'push',
      '--endpoint',
      'leave',
      '--file',
      file('l3.json', leaveRecord()),
      ...base(),
      '--secret',
      'my-wrong-secret',
      '--mode',
      'production',
    );
    expect(p.code).toBe(0);
  });

  it('bad arguments and bad files: one clear line, non-zero exit, no stack trace', async () => {
    const cases = [
      await cli(
        'push',
        '--endpoint',
        'update',
        '--file',
        file('bad.json', updateRecord({ plate: '', operate_time: 'now' })),
        ...base(),
        '--secret',
        'x',
      ),
      await cli('push', '--endpoint', 'nope', '--file', 'x', ...base(), '--secret', 'x'),
      await cli('push', '--endpoint', 'update', '--file', join(dir, 'missing.json'), ...base(), '--secret', 'x'),
      await cli('push', '--endpoint', 'update', '--file', file('broken.json', '{"plate":'), ...base(), '--secret', 'x'),
      await cli('sign', '--endpoint', 'update', '--secret', 'x', '--file', file('obj.json', { payment_list: [] })),
      await cli(
        'push',
        '--endpoint',
        'update',
        '--file',
        'x.json',
        '--base-url',
        'not a url',
        '--park-uuid',
        'P',
        '--secret',
        'x',
      ),
      await cli('frobnicate'),
      await cli('push', '--bogus'),
    ];
    for (const r of cases) {
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n').length, r.err).toBeLessThanOrEqual(r.err.includes('用法') ? 14 : 1);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    expect(cases[0]!.err).toContain('plate: 必填');
    expect(cases[0]!.err).toContain('operate_time');
    expect(cases[2]!.err).toContain('找不到文件');
    expect(sandbox().state().received).toBe(0);
  });
});
