/** An answer that echoes the app secret: masked (***) in the push log, the record's last answer and push's line. */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformTarget } from '../../electron/platform/target.ts';
import { leaveRecord, updateRecord } from '../fixtures/records.ts';
import { openHarness } from '../support/queue-harness.ts';
import { tempDir } from '../support/sandbox.ts';
import { hintPlain, startStub, type Stub, type StubRequest } from './stub-platform.ts';

const SECRET = 'Echo-Me-Secret-5k';
const CLI = join(import.meta.dirname, '../../electron/cli/main.ts');
let stub: Stub | null = null;
afterEach(async () => {
  await stub?.close();
  stub = null;
});

/** update: a 400 whose message and hint carry the secret; leave: 签名验证不通过 with the secret in the plain text. */
function echoing(r: StubRequest) {
  if (r.path.endsWith('/update')) {
    return {
      status: 400,
      body: {
        code: '400',
        message: `请求参数错误 (app_secret=${SECRET})`,
        hint: `参数\`reason\`有误, 密钥 ${SECRET}`,
        seqno: 'S400',
      },
    };
  }
  const plain = hintPlain(r.fields).replace(/app_secret=\*\*\*$/, `app_secret=${SECRET}`);
  return {
    status: 200,
    body: { code: '200', message: '已忽略当前请求', hint: `签名验证不通过[${plain}]`, seqno: 'S200' },
  };
}

describe('the platform echoes the secret', () => {
  it('the worker masks it before the log row and the record’s last answer are written', async () => {
    stub = await startStub(echoing);
    const target: PlatformTarget = { baseUrl: stub.url, parkUuid: 'STUB-PARK', appSecret: SECRET, mode: 'integration' };
    const h = openHarness(target);
    try {
      const u = h.queue.enqueue('update', updateRecord());
      const l = h.queue.enqueue('leave', leaveRecord());
      h.queue.start();
      await h.queue.idle();
      for (const id of [u.id, l.id]) {
        const rec = h.queue.get(id)!;
        expect(rec.state).toBe('attention');
        expect(JSON.stringify(rec.last)).not.toContain(SECRET);
        expect(rec.last.hint).toContain('***');
      }
      expect(h.queue.get(u.id)!.last.message).toBe('请求参数错误 (app_secret=***)');
      const rows = h.queue.queryLog({ limit: 10 }).rows;
      expect(rows).toHaveLength(2);
      expect(JSON.stringify(rows)).not.toContain(SECRET);
      const leaveRow = rows.find((r) => r.endpoint === 'leave')!;
      expect(leaveRow.diagnosis?.theirs).toMatch(/&app_secret=\*\*\*$/);
      expect(rows.find((r) => r.endpoint === 'update')!.hint).toBe('参数`reason`有误, 密钥 ***');
    } finally {
      await h.close();
    }
  });

  it('push prints *** in its JSON line', async () => {
    stub = await startStub(echoing);
    const dir = tempDir('secret-echo');
    const run = (endpoint: string, record: unknown) => {
      const file = join(dir, `${endpoint}.json`);
      writeFileSync(file, JSON.stringify(record));
      const args = [
        CLI,
        'push',
        '--endpoint',
        endpoint,
        '--file',
        file,
        '--base-url',
        stub!.url,
        '--park-uuid',
        'STUB-PARK',
        '--secret',
        SECRET,
      ];
      return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = execFile(process.execPath, args, { encoding: 'utf8', timeout: 20_000 }, (_e, out, err) =>
          resolve({ code: child.exitCode, out, err }),
        );
      });
    };
    const u = await run('update', updateRecord());
    const l = await run('leave', leaveRecord());
    for (const r of [u, l]) {
      expect(r.code, r.err).toBe(1);
      expect(r.out + r.err).not.toContain(SECRET);
    }
    expect(JSON.parse(u.out)).toMatchObject({
      outcome: 'rejected',
      message: '请求参数错误 (app_secret=***)',
      hint: '参数`reason`有误, 密钥 ***',
    });
    const leave = JSON.parse(l.out);
    expect(leave.outcome).toBe('ignored');
    expect(leave.hint).toMatch(/&app_secret=\*\*\*\]$/);
    expect(leave.diagnosis.theirs).toMatch(/&app_secret=\*\*\*$/);
  });
});
