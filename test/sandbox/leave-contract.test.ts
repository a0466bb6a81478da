// Issue 8 in the sandbox: payment pay_type 8 (优惠券全额抵扣) and the optional card_no / card_id on leave.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  SANDBOX_DEFAULT_PARK,
  SANDBOX_DEFAULT_SECRET,
  startSandbox,
  type Sandbox,
} from '../../electron/sandbox/server.ts';
import { LEAVE, leaveParams, postMultipart, withSign } from './helpers.ts';

const PARK = SANDBOX_DEFAULT_PARK;
const SECRET = SANDBOX_DEFAULT_SECRET;

describe('leave: values of the docs repository’s leave page', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.reset());

  it('takes a payment of pay_type 8 (优惠券全额抵扣), as text or number', async () => {
    for (const [serial, payType] of [
      ['SER-P8', '"8"'],
      ['SER-P8N', '8'],
    ] as const) {
      const list =
        `[{"pay_origin_desc":"优惠券","pay_type":${payType},"pay_time":"1624937505093",` +
        `"value":0,"free_value":1000,"parking_order":"PO-${serial}"}]`;
      const a = await postMultipart(
        sb.url,
        LEAVE,
        withSign(leaveParams(PARK, serial, [['payment_list', list]]), SECRET),
      );
      expect(a.body, serial).toMatchObject({ code: '200', message: 'OK' });
    }
    expect(sb.state().accepted.leave.map((r) => r.key)).toEqual(['SER-P8', 'SER-P8N']);
  });

  it('still refuses a pay_type it does not know', async () => {
    const list = '[{"pay_type":"9","value":500}]';
    const a = await postMultipart(
      sb.url,
      LEAVE,
      withSign(leaveParams(PARK, 'SER-P9', [['payment_list', list]]), SECRET),
    );
    expect(a.body).toMatchObject({ code: '400', hint: '参数`payment_list[0].pay_type`格式错误' });
  });

  it('keeps card_no and card_id', async () => {
    const a = await postMultipart(
      sb.url,
      LEAVE,
      withSign(
        leaveParams(PARK, 'SER-CARD', [
          ['card_no', 'C-0001'],
          ['card_id', 'ID-77'],
        ]),
        SECRET,
      ),
    );
    expect(a.body).toMatchObject({ code: '200' });
    expect(sb.state().accepted.leave[0]?.fields).toMatchObject({ card_no: 'C-0001', card_id: 'ID-77' });
  });
});
