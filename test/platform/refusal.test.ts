/**
 * A refused signature whose hint shows the platform read one of the record's values differently (the vendor's
 * `plate=?KKKKKK`) is that record's problem, not the credentials': rejected, the field named, encoding=URL
 * suggested; the rest of the queue goes on. Identical plain text (or none) is still the credentials' (auth).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createPlatformClient } from '../../electron/platform/client.ts';
import { prepareRequest } from '../../electron/platform/prepare.ts';
import type { PlatformTarget } from '../../electron/platform/target.ts';
import { leaveRecord, updateRecord } from '../fixtures/records.ts';
import { openHarness } from '../support/queue-harness.ts';
import { hintPlain, misreadPlate, startStub, type Stub, type StubRequest } from './stub-platform.ts';

const SECRET = 'Stub-Secret-9x';
let stub: Stub | null = null;
afterEach(async () => {
  await stub?.close();
  stub = null;
});

const target = (over: Partial<PlatformTarget> = {}): PlatformTarget => ({
  baseUrl: stub!.url,
  parkUuid: 'STUB-PARK',
  appSecret: SECRET,
  mode: 'integration',
  ...over,
});
const refused = (hint: string | undefined) => ({
  status: 401,
  body: { code: '401', message: '请求签名校验不通过', ...(hint === undefined ? {} : { hint }), seqno: 'S401' },
});
const ok = (code = '1001') => ({ status: 200, body: { code, message: 'OK', seqno: 'S-OK' } });

async function send(endpoint: 'update' | 'leave', record: Record<string, unknown>, over: Partial<PlatformTarget> = {}) {
  const client = createPlatformClient({ timeoutMs: 2000 });
  try {
    return await client.send(await prepareRequest(endpoint, record, target(over)));
  } finally {
    client.close();
  }
}

describe('a 401 that shows a value read differently', () => {
  it('is the record’s: rejected, the field named, encoding=URL suggested', async () => {
    stub = await startStub((r) => refused(hintPlain(r.fields, misreadPlate)));
    const o = await send('update', updateRecord({ plate: '粤B12345' }));
    expect(o.outcome).toBe('rejected');
    expect(o.diagnosis?.fields).toEqual([{ field: 'plate', ours: '粤B12345', theirs: '?B12345' }]);
    expect(o.diagnosis?.summary).toContain('plate');
    expect(o.diagnosis?.summary).toContain('encoding=URL');
    expect(o.diagnosis?.summary).toContain('设置中开启 URL 编码');
  });

  const stillTheCredentials =
    'is still the credentials’ when the plain text matches ours, differs only in the credentials, or is absent';
  it(stillTheCredentials, async () => {
    stub = await startStub((r) => refused(hintPlain(r.fields)));
    const same = await send('update', updateRecord());
    expect(same.outcome).toBe('auth');
    expect(same.diagnosis?.identical).toBe(true);
    await stub.close();
    stub = await startStub((r) => refused(hintPlain({ ...r.fields, park_uuid: 'OTHER-PARK' })));
    expect((await send('update', updateRecord())).outcome).toBe('auth');
    await stub.close();
    stub = await startStub(() => refused(undefined));
    const none = await send('update', updateRecord());
    expect(none.outcome).toBe('auth');
    expect(none.diagnosis).toBeNull();
  });

  it('a leave answered 200 + 签名验证不通过 stays ignored, with the field named', async () => {
    stub = await startStub((r) => ({
      status: 200,
      body: {
        code: '200',
        message: '已忽略当前请求',
        hint: `签名验证不通过[${hintPlain(r.fields, misreadPlate)}]`,
        seqno: 'S-IGN',
      },
    }));
    const o = await send('leave', leaveRecord({ plate: '粤X44444' }));
    expect(o.outcome).toBe('ignored');
    expect(o.diagnosis?.fields.map((f) => f.field)).toEqual(['plate']);
    expect(o.diagnosis?.summary).toMatch(/plate.*encoding=URL/);
  });

  it('in the queue: that record waits for a person (attention), the next one is still sent', async () => {
    const misreadFlow = (r: StubRequest) => r.fields.flow_no?.startsWith('MISREAD');
    stub = await startStub((r) => (misreadFlow(r) ? refused(hintPlain(r.fields, misreadPlate)) : ok()));
    // One at a time: the next record leaves only after the refused one was answered.
    const h = openHarness(target(), { concurrency: 1 });
    try {
      const bad = h.queue.enqueue('update', updateRecord({ flow_no: 'MISREAD-1', plate: '粤B77777' }));
      const good = h.queue.enqueue('update', updateRecord({ flow_no: 'FINE-2' }));
      h.queue.start();
      await h.queue.idle();
      expect(h.queue.status().paused).toBeNull();
      expect(h.queue.get(bad.id)).toMatchObject({ state: 'attention', last: { outcome: 'rejected', code: '401' } });
      expect(h.queue.get(good.id)?.state).toBe('accepted');
      expect(stub.requests.map((r) => r.fields.flow_no)).toEqual(['MISREAD-1', 'FINE-2']);
      const row = h.queue.queryLog({ key: 'MISREAD-1' }).rows[0]!;
      expect(row.outcome).toBe('rejected');
      expect(row.diagnosis?.summary).toMatch(/plate.*encoding=URL/);
    } finally {
      await h.close();
    }
  });
});
