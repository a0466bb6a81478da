/**
 * `sign` and `push` take the same file (the platform's own parameter names and forms) and `sign` prints
 * exactly the text `push` signed and sent: image files hashed and left out, payment_list as its JSON text.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { md5Upper } from '../../electron/platform/sign.ts';
import { javaUrlEncode } from '../../electron/platform/url-encoding.ts';
import { SANDBOX_DEFAULT_PARK, SANDBOX_DEFAULT_SECRET } from '../../electron/sandbox/server.ts';
import { serialisePaymentList } from '../../shared/records/leave.ts';
import { leaveRecord, updateRecord } from '../fixtures/records.ts';
import { plainOf } from '../sandbox/helpers.ts';
import { tempDir, useSandbox } from '../support/sandbox.ts';

const CLI = join(import.meta.dirname, '../../electron/cli/main.ts');
const dir = tempDir('cli-same-file');
const { sandbox } = useSandbox();
const SECRET = SANDBOX_DEFAULT_SECRET;

function cli(...args: string[]): Promise<{ code: number | null; out: string; err: string; lines: string[] }> {
  return new Promise((resolve) => {
    // Run from elsewhere: image paths are taken relative to the file, not to the working directory.
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { encoding: 'utf8', timeout: 20_000, cwd: '/' },
      (_e, out, err) => {
        resolve({ code: child.exitCode, out, err, lines: out.trim().split('\n') });
      },
    );
  });
}
function file(name: string, content: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(content, null, 2));
  return p;
}

/** What the sandbox received, as the platform's plain text (values as they were on the wire). */
function receivedPlain(fields: Record<string, string>, encoded: boolean): string {
  return plainOf(Object.entries(fields).map(([k, v]) => [k, encoded && k !== 'encoding' ? javaUrlEncode(v) : v]));
}

describe('sign and push take the same file', () => {
  it('a leave with an image and payment_list as JSON text, park_uuid/app_id/api_type in the file', async () => {
    mkdirSync(join(dir, 'img'), { recursive: true });
    const image = Buffer.alloc(3000, 9);
    writeFileSync(join(dir, 'img', 'exit.jpg'), image);
    const rec = leaveRecord({ plate: '粤B12345' });
    const payments = serialisePaymentList(rec.payment_list as never);
    const path = file('leave-platform.json', {
      ...rec,
      park_uuid: SANDBOX_DEFAULT_PARK,
      app_id: 'op1234567723122',
      api_type: 'PARKING-SERVICE',
      payment_list: payments,
      leave_image_file: 'img/exit.jpg',
    });

    const s = await cli('sign', '--endpoint', 'leave', '--secret', SECRET, '--file', path);
    expect(s.code, s.err).toBe(0);
    expect(s.lines).toHaveLength(2);
    const [plain, signature] = s.lines as [string, string];
    expect(plain).not.toContain('leave_image_file');
    expect(plain).toContain(`leave_image_hash=${md5Upper(image)}`);
    expect(plain).toContain(`payment_list=${payments}&`);
    expect(plain).toContain(`park_uuid=${SANDBOX_DEFAULT_PARK}`);
    expect(signature).toBe(md5Upper(plain.replace(/&app_secret=\*\*\*$/, `&app_secret=${SECRET}`)));

    // No --park-uuid: it is in the file.
    const p = await cli('push', '--endpoint', 'leave', '--file', path, '--base-url', sandbox().url, '--secret', SECRET);
    expect(p.code, p.out + p.err).toBe(0);
    expect(JSON.parse(p.lines[0]!)).toMatchObject({ outcome: 'accepted', hint: null });
    const stored = sandbox().state().accepted.leave[0]!;
    // The sandbox checked push's signature over what it received: sign's line is that very text.
    expect(`${receivedPlain(stored.fields, false)}&app_secret=***`).toBe(plain);
    expect(stored.files[0]).toMatchObject({ field: 'leave_image_file', size: 3000, md5: md5Upper(image) });
  });

  it('an update, park_uuid from the flags, encoding=URL from the file', async () => {
    const rec = updateRecord({ reason: '道闸故障 & 手动抬杆' });
    const path = file('update-platform.json', { ...rec, encoding: 'URL' });
    const flags = ['--park-uuid', SANDBOX_DEFAULT_PARK, '--secret', SECRET, '--file', path];
    const s = await cli('sign', '--endpoint', 'update', ...flags);
    expect(s.code, s.err).toBe(0);
    const [plain, signature] = s.lines as [string, string];
    expect(plain).toContain('encoding=URL');
    expect(plain).toContain(`reason=${javaUrlEncode('道闸故障 & 手动抬杆')}`);
    expect(signature).toBe(md5Upper(plain.replace(/&app_secret=\*\*\*$/, `&app_secret=${SECRET}`)));

    const p = await cli('push', '--endpoint', 'update', '--base-url', sandbox().url, ...flags);
    expect(p.code, p.out + p.err).toBe(0);
    const stored = sandbox().state().accepted.update[0]!;
    expect(stored.fields.reason).toBe('道闸故障 & 手动抬杆');
    expect(`${receivedPlain(stored.fields, true)}&app_secret=***`).toBe(plain);
  });

  it('a credential given differently in the flags and the file, or in neither: one clear line', async () => {
    const path = file('update-park.json', { ...updateRecord(), park_uuid: 'PARK-IN-FILE' });
    const both = await cli('sign', '--endpoint', 'update', '--secret', SECRET, '--park-uuid', 'OTHER', '--file', path);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--park-uuid \(OTHER\) 与文件中的 park_uuid \(PARK-IN-FILE\) 不一致/);
    const none = await cli(
      'sign',
      '--endpoint',
      'update',
      '--secret',
      SECRET,
      '--file',
      file('update-nopark.json', updateRecord()),
    );
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/缺少 park_uuid/);
    const badJson = await cli(
      'sign',
      '--endpoint',
      'leave',
      '--secret',
      SECRET,
      '--park-uuid',
      'P',
      '--file',
      file('bad-pl.json', leaveRecord({ payment_list: '[{' })),
    );
    expect(badJson.code).toBe(2);
    expect(badJson.err).toMatch(/payment_list 不是合法的 JSON/);
    expect(sandbox().state().received).toBe(0);
  });
});
