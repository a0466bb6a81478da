/**
 * The client against the sandbox platform over real HTTP: every outcome class, images with
 * hashes, encoding=URL and the JSON signature. The sandbox was written from the spec separately.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPlatformClient } from '../../electron/platform/client.ts';
import { prepareRequest } from '../../electron/platform/prepare.ts';
import { signForm } from '../../electron/platform/sign.ts';
import { RecordError } from '../../shared/records/fields.ts';
import { leaveRecord, updateRecord, vipRow } from '../fixtures/records.ts';
import { tempDir, useSandbox } from '../support/sandbox.ts';

const { sandbox, target } = useSandbox();
const client = createPlatformClient({ timeoutMs: 1500 });
afterAll(() => client.close());
const dir = tempDir('client-test');

async function push(endpoint: 'update' | 'leave' | 'vip-recharge', record: Record<string, unknown>, over = {}) {
  return client.send(await prepareRequest(endpoint, record, target(over)));
}

describe('accepted', () => {
  it('update: code 1001 with a seqno, the sandbox holds exactly what was sent', async () => {
    const rec = updateRecord();
    const o = await push('update', rec);
    expect(o).toMatchObject({ outcome: 'accepted', code: '1001', httpStatus: 200, hint: null, error: null });
    expect(o.seqno).toMatch(/^[0-9a-f]{16}$/);
    const stored = sandbox().state().accepted.update;
    expect(stored).toHaveLength(1);
    expect(stored[0]!.key).toBe(rec.flow_no);
    expect(stored[0]!.fields).toMatchObject({
      plate: '粤B12345',
      operate_time: '2026-11-25T01:02:03Z',
      operator: '张三',
    });
    expect(stored[0]!.seqno).toBe(o.seqno);
  });

  it('leave with images: streamed files, their MD5 in *_hash, verified by the sandbox', async () => {
    const enter = join(dir, 'enter.jpg');
    const exit = join(dir, 'exit.jpg');
    const enterBytes = randomBytes(3 * 1024 * 1024 + 17);
    const exitBytes = randomBytes(100_000);
    writeFileSync(enter, enterBytes);
    writeFileSync(exit, exitBytes);
    const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex').toUpperCase();
    const req = await prepareRequest(
      'leave',
      leaveRecord({ enter_image_file: enter, leave_image_file: exit }),
      target(),
    );
    expect(req.params.enter_image_hash).toBe(md5(enterBytes));
    expect(req.plainMasked).toContain(`leave_image_hash=${md5(exitBytes)}`);
    expect(req.plainMasked).not.toContain('_file');
    const o = await client.send(req);
    expect(o.outcome).toBe('accepted');
    expect(o.code).toBe('200');
    const files = sandbox().state().accepted.leave[0]!.files;
    expect(files.map((f) => [f.field, f.size, f.md5.toUpperCase()]).sort()).toEqual(
      [
        ['enter_image_file', enterBytes.length, md5(enterBytes)],
        ['leave_image_file', exitBytes.length, md5(exitBytes)],
      ].sort(),
    );
  });

  it('leave: a given hash that does not match the file is refused before anything is sent', async () => {
    const img = join(dir, 'x.jpg');
    writeFileSync(img, 'not the hashed bytes');
    await expect(
      prepareRequest('leave', leaveRecord({ leave_image_file: img, leave_image_hash: '0'.repeat(32) }), target()),
    ).rejects.toThrow(RecordError);
    await expect(
      prepareRequest('leave', leaveRecord({ leave_image_file: join(dir, 'missing.jpg') }), target()),
    ).rejects.toThrow(/leave_image_file/);
    expect(sandbox().state().received).toBe(0);
  });

  it('encoding=URL: values URL-encoded, signed encoded, stored decoded by the platform', async () => {
    const rec = updateRecord({ operator: '保安 A', reason: '设备异常&抬杆=手动' });
    const req = await prepareRequest('update', rec, target({ encodingUrl: true }));
    expect(req.params.encoding).toBe('URL');
    expect(req.params.operator).toBe('%E4%BF%9D%E5%AE%89+A');
    expect(req.plainMasked).toContain('encoding=URL');
    const o = await client.send(req);
    expect(o.outcome).toBe('accepted');
    expect(sandbox().state().accepted.update[0]!.fields).toMatchObject({
      operator: '保安 A',
      reason: '设备异常&抬杆=手动',
    });
  });

  it('vip-recharge: JSON body signed in Authorization; complete=1 replaces the park’s rows', async () => {
    expect((await push('vip-recharge', { row: [vipRow(), vipRow()] })).outcome).toBe('accepted');
    expect(sandbox().state().accepted.vip).toHaveLength(2);
    const req = await prepareRequest('vip-recharge', { complete: 1, row: [vipRow({ plate: '粤X55555' })] }, target());
    expect(req.body!.startsWith('{"complete":1,"park_uuid":')).toBe(true);
    expect(req.headers.Authorization).toMatch(/^[0-9A-F]{32}$/);
    const o = await client.send(req);
    expect(o).toMatchObject({ outcome: 'accepted', code: '1001' });
    expect(
      sandbox()
        .state()
        .accepted.vip.map((r) => r.row.plate),
    ).toEqual(['粤X55555']);
  });

  it('a repeat of the same key is accepted again and the platform keeps one record', async () => {
    const rec = updateRecord();
    expect((await push('update', rec)).outcome).toBe('accepted');
    expect((await push('update', rec)).outcome).toBe('accepted');
    expect(sandbox().state().accepted.update).toHaveLength(1);
    expect(sandbox().state().repeats).toMatchObject([{ key: rec.flow_no, sameContent: true }]);
  });
});

describe('connections', () => {
  it('frees its socket after every answer, whatever the outcome (one socket serves them all)', async () => {
    const single = createPlatformClient({ timeoutMs: 1500, maxSockets: 1 });
    try {
      const outcomes = [];
      for (const t of [target(), target({ appSecret: 'wrong' }), target({ parkUuid: 'NOPE' })]) {
        outcomes.push((await single.send(await prepareRequest('update', updateRecord(), t))).outcome);
        outcomes.push((await single.send(await prepareRequest('leave', leaveRecord(), t))).outcome);
      }
      outcomes.push((await single.send(await prepareRequest('vip-recharge', { row: [vipRow()] }, target()))).outcome);
      expect(outcomes).toEqual(['accepted', 'accepted', 'auth', 'ignored', 'auth', 'auth', 'accepted']);
    } finally {
      single.close();
    }
  });
});

describe('refusals', () => {
  it('auth: a wrong secret on update is 401, with a diagnosis that points at the secret', async () => {
    const o = await push('update', updateRecord(), { appSecret: 'wrong-secret-value' });
    expect(o).toMatchObject({ outcome: 'auth', code: '401', httpStatus: 401 });
    expect(o.diagnosis?.identical).toBe(true);
    expect(o.diagnosis?.summary).toContain('app_secret');
    expect(JSON.stringify(o)).not.toContain('wrong-secret-value');
  });

  it('ignored: a wrong secret on leave is code 200 + hint (已忽略当前请求), with its diagnosis', async () => {
    const o = await push('leave', leaveRecord(), { appSecret: 'wrong-secret-value' });
    expect(o).toMatchObject({ outcome: 'ignored', code: '200', httpStatus: 200 });
    expect(o.hint).toMatch(/^签名验证不通过\[/);
    expect(o.diagnosis?.identical).toBe(true);
    expect(sandbox().state().accepted.leave).toHaveLength(0);
  });

  const rejectedWithDiagnosis =
    'rejected (the record’s problem, not the credentials’) with a field-level diagnosis ' +
    'when what we signed is not what arrived';
  it(rejectedWithDiagnosis, async () => {
    const req = await prepareRequest('update', updateRecord(), target());
    req.params.plate = '粤B99999'; // changed after signing
    const o = await client.send(req);
    expect(o.outcome).toBe('rejected');
    expect(o.diagnosis?.summary).toContain('plate');
    expect(o.diagnosis?.fields).toEqual([{ field: 'plate', ours: '粤B12345', theirs: '粤B99999' }]);
  });

  it('auth: an unknown park is 403', async () => {
    const o = await push('update', updateRecord(), { parkUuid: 'NOT-A-PARK' });
    expect(o).toMatchObject({ outcome: 'auth', code: '403', httpStatus: 403 });
  });

  it('rejected: 400 with a hint naming the field', async () => {
    const req = await prepareRequest('update', updateRecord(), target());
    const params = { ...req.params };
    delete params.operator;
    delete params.sign;
    params.sign = signForm(params, target().appSecret).signature;
    const o = await client.send({ ...req, params });
    expect(o).toMatchObject({ outcome: 'rejected', code: '400', httpStatus: 400 });
    expect(o.hint).toContain('operator');
  });

  it('a bad record is refused with every bad field named, before anything is signed or sent', async () => {
    await expect(
      prepareRequest('update', updateRecord({ plate: '', operate_time: 'yesterday' }), target()),
    ).rejects.toThrow(/plate: 必填.*operate_time/);
    expect(sandbox().state().received).toBe(0);
  });
});

describe('retry: the platform or the network failed', () => {
  it.each([
    ['500', { kind: 'error', httpStatus: 500 }],
    ['503', { kind: 'error', httpStatus: 503 }],
    ['an HTML error page', { kind: 'garbage' }],
    ['a dropped connection', { kind: 'drop' }],
  ] as const)('%s', async (_name, rule) => {
    sandbox().setFaults([{ ...rule, count: 1 }]);
    const o = await push('update', updateRecord());
    expect(o.outcome).toBe('retry');
    const again = await push('update', updateRecord());
    expect(again, JSON.stringify({ again, log: sandbox().state().requests })).toMatchObject({ outcome: 'accepted' });
  });

  it('a timeout', async () => {
    sandbox().setFaults([{ kind: 'hang', count: 1 }]);
    const o = await push('update', updateRecord());
    expect(o.outcome).toBe('retry');
    expect(o.error).toMatch(/^TIMEOUT/);
    expect(o.latencyMs).toBeGreaterThanOrEqual(1400);
  });

  it('a refused connection', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const o = await push('update', updateRecord(), { baseUrl: `http://127.0.0.1:${port}` });
    expect(o.outcome).toBe('retry');
    expect(o.error).toMatch(/ECONNREFUSED/);
  });

  it('an accepted record whose answer was lost is safe to send again', async () => {
    sandbox().setFaults([{ kind: 'drop-after-accept', count: 1 }]);
    const rec = updateRecord();
    expect((await push('update', rec)).outcome).toBe('retry');
    expect((await push('update', rec)).outcome).toBe('accepted');
    expect(sandbox().state().accepted.update).toHaveLength(1);
    expect(sandbox().state().repeats[0]?.sameContent).toBe(true);
  });
});
