// POST /gate/1.0/parking/internal/vip/recharge: JSON body, Authorization = MD5(body&app_secret=…).

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  SANDBOX_DEFAULT_PARK,
  SANDBOX_DEFAULT_SECRET,
  startSandbox,
  type Sandbox,
} from '../../electron/sandbox/server.ts';
import { VIP, jsonAuth, postJson } from './helpers.ts';

const PARK = SANDBOX_DEFAULT_PARK;
const SECRET = SANDBOX_DEFAULT_SECRET;
const PARK_B = 'SANDBOX-PARK-0002';
const SECRET_B = 'secret-b';

function row(payPartner: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  // shaped like the vendor's Java sample: every value a string
  return {
    plate: '粤X33333',
    plate_color: '1',
    card_no: 'ID000001',
    card_id: 'ID000001',
    charge_type: '101',
    vip_type: '1',
    quantity: '1',
    pay_partner: payPartner,
    pay_type: '1',
    value: '30',
    pay_time: '1625068799000',
    pay_value: '10000',
    operator: '张三',
    renewal_start_time: '2022-09-30T16:00:00Z',
    renewal_end_time: '2022-10-31T15:59:59Z',
    ...extra,
  };
}

async function push(sb: Sandbox, body: unknown, secret = SECRET) {
  const text = JSON.stringify(body);
  return postJson(sb.url, text, jsonAuth(text, secret));
}

describe('vip/recharge', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ parks: { [PARK]: SECRET, [PARK_B]: SECRET_B } });
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.reset());

  it('accepts a signed batch with 1001 and stores each row', async () => {
    const a = await push(sb, {
      park_uuid: PARK,
      row: [row('PP-1'), row('PP-2', { plate_color: 2, quantity: 3, pay_type: 2, pay_value: 500 })],
    });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ code: '1001', message: 'OK', path: `POST ${VIP}`, data_node: 'SANDBOX/LOCAL-1' });
    expect(a.body.hint).toBeUndefined();
    const vip = sb.state().accepted.vip;
    expect(vip.map((r) => [r.park_uuid, r.pay_partner])).toEqual([
      [PARK, 'PP-1'],
      [PARK, 'PP-2'],
    ]);
    expect(vip[0]?.row.plate).toBe('粤X33333');
    expect(vip[0]?.seqno).toBe(a.body.seqno);
  });

  it('the signature covers the exact bytes: whitespace and key order matter, hex case does not', async () => {
    const text = `{ "row": [${JSON.stringify(row('PP-WS'))}],\n  "park_uuid": "${PARK}" }`;
    const a = await postJson(sb.url, text, jsonAuth(text, SECRET).toLowerCase());
    expect(a.body.code).toBe('1001');
    const reserialised = JSON.stringify(JSON.parse(text));
    const b = await postJson(sb.url, text, jsonAuth(reserialised, SECRET));
    expect(b.status).toBe(401);
  });

  it('bad or missing Authorization → 401 with <body>&app_secret=***', async () => {
    const text = JSON.stringify({ park_uuid: PARK, row: [row('PP-BAD')] });
    const a = await postJson(sb.url, text, jsonAuth(text, 'wrong'));
    expect(a.status).toBe(401);
    expect(a.body).toMatchObject({ code: '401', message: '请求签名校验不通过', hint: `${text}&app_secret=***` });
    expect(a.text).not.toContain(SECRET);
    const b = await postJson(sb.url, text, null);
    expect(b.status).toBe(401);
    expect(sb.state().accepted.vip).toHaveLength(0);
  });

  it("a batch signed with another park's secret → 401", async () => {
    const a = await push(sb, { park_uuid: PARK, row: [row('PP-X')] }, SECRET_B);
    expect(a.status).toBe(401);
  });

  const missing = ['plate', 'plate_color', 'charge_type', 'vip_type', 'quantity', 'pay_partner', 'pay_type'];
  for (const f of missing) {
    it(`row[2] without ${f} → 400 naming row[2].${f}; nothing of the batch stored`, async () => {
      const bad = row('PP-3');
      delete bad[f];
      const a = await push(sb, { park_uuid: PARK, row: [row('PP-1'), row('PP-2'), bad] });
      expect(a.status).toBe(400);
      expect(a.body).toMatchObject({ code: '400', message: '请求参数错误', hint: `参数\`row[2].${f}\`未传递` });
      expect(sb.state().accepted.vip).toHaveLength(0);
    });
  }

  const badRows: [Record<string, unknown>, string][] = [
    [{ renewal_start_time: '2022-10-01 00:00:00' }, 'renewal_start_time'],
    [{ renewal_end_time: '2022-10-31T23:59:59+08:00' }, 'renewal_end_time'],
    [{ pay_value: 100.5 }, 'pay_value'],
    [{ pay_value: '100.00' }, 'pay_value'],
    [{ pay_time: '2021-06-30 23:59:59' }, 'pay_time'],
    [{ pay_time: 1625068799 }, 'pay_time'],
    [{ plate_color: 7 }, 'plate_color'],
    [{ pay_type: 3 }, 'pay_type'],
    [{ vip_type: '9' }, 'vip_type'],
    [{ quantity: 'one' }, 'quantity'],
    [{ pay_partner: { id: 1 } }, 'pay_partner'],
  ];
  for (const [extra, f] of badRows) {
    it(`row[0].${f}=${JSON.stringify(extra[f])} → 400 格式错误`, async () => {
      const a = await push(sb, { park_uuid: PARK, row: [row('PP-1', extra)] });
      expect(a.status).toBe(400);
      expect(a.body.hint).toBe(`参数\`row[0].${f}\`格式错误`);
    });
  }

  const bodyLevelErrors =
    'body-level errors: missing park_uuid, missing/empty/non-array row, bad complete, unparsable body, not an object';
  it(bodyLevelErrors, async () => {
    expect((await push(sb, { row: [row('A')] })).body.hint).toBe('参数`park_uuid`未传递');
    expect((await push(sb, { park_uuid: PARK })).body.hint).toBe('参数`row`未传递');
    expect((await push(sb, { park_uuid: PARK, row: [] })).body.hint).toBe('参数`row`未传递');
    expect((await push(sb, { park_uuid: PARK, row: JSON.stringify([row('A')]) })).body.hint).toBe('参数`row`格式错误');
    expect((await push(sb, { park_uuid: PARK, complete: 2, row: [row('A')] })).body.hint).toBe(
      '参数`complete`格式错误',
    );
    const notJson = await postJson(sb.url, '{"park_uuid": ', jsonAuth('{"park_uuid": ', SECRET));
    expect(notJson.status).toBe(400);
    expect(notJson.body.code).toBe('400');
    const arr = await postJson(sb.url, '[]', jsonAuth('[]', SECRET));
    expect(arr.status).toBe(400);
    const form = await postJson(sb.url, 'park_uuid=x', jsonAuth('park_uuid=x', SECRET), {
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(400);
  });

  it('complete accepts 0/1 as number or string', async () => {
    expect((await push(sb, { park_uuid: PARK, complete: '0', row: [row('C0')] })).body.code).toBe('1001');
    expect((await push(sb, { park_uuid: PARK, complete: 0, row: [row('C1')] })).body.code).toBe('1001');
    expect(sb.state().completes).toBe(0);
  });

  it("complete=1 deletes all of that park's rows (only that park's) before inserting the batch", async () => {
    await push(sb, { park_uuid: PARK, row: [row('OLD-1'), row('OLD-2')] });
    await push(sb, { park_uuid: PARK_B, row: [row('B-1')] }, SECRET_B);
    const a = await push(sb, { park_uuid: PARK, complete: 1, row: [row('NEW-1'), row('OLD-2')] });
    expect(a.body).toMatchObject({ code: '1001', message: 'OK' });
    const st = sb.state();
    expect(st.completes).toBe(1);
    expect(st.accepted.vip.map((r) => `${r.park_uuid}/${r.pay_partner}`).sort()).toEqual(
      [`${PARK_B}/B-1`, `${PARK}/NEW-1`, `${PARK}/OLD-2`].sort(),
    );
    expect(st.repeats).toHaveLength(0);
  });

  it('a later complete=1 batch deletes rows from earlier batches of the same upload', async () => {
    await push(sb, { park_uuid: PARK, complete: 1, row: [row('F-1')] });
    await push(sb, { park_uuid: PARK, complete: 0, row: [row('F-2')] });
    await push(sb, { park_uuid: PARK, complete: 1, row: [row('F-1')] }); // e.g. a retried first batch
    const st = sb.state();
    expect(st.completes).toBe(2);
    expect(st.accepted.vip.map((r) => r.pay_partner)).toEqual(['F-1']);
  });

  it('repeated pay_partner → 1001 OK, recorded with sameContent, stored once', async () => {
    await push(sb, { park_uuid: PARK, row: [row('R-1')] });
    const same = await push(sb, { park_uuid: PARK, row: [row('R-1')] });
    expect(same.body).toMatchObject({ code: '1001', message: 'OK' });
    expect(same.body.hint).toBeUndefined();
    await push(sb, { park_uuid: PARK, row: [row('R-1', { quantity: '2' }), row('R-2')] });
    const st = sb.state();
    expect(st.accepted.vip.map((r) => r.pay_partner)).toEqual(['R-1', 'R-2']);
    expect(st.accepted.vip[0]?.row.quantity).toBe('1');
    expect(st.repeats.map((r) => [r.endpoint, r.key, r.sameContent])).toEqual([
      ['vip-recharge', 'R-1', true],
      ['vip-recharge', 'R-1', false],
    ]);
  });

  it('pay_partner may be a number; it is keyed as text', async () => {
    await push(sb, { park_uuid: PARK, row: [row('x', { pay_partner: 12345 })] });
    await push(sb, { park_uuid: PARK, row: [row('x', { pay_partner: '12345' })] });
    const st = sb.state();
    expect(st.accepted.vip.map((r) => r.pay_partner)).toEqual(['12345']);
    expect(st.repeats).toHaveLength(1);
  });
});
