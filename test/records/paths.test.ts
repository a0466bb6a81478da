/**
 * Issue 8 on the paths a record takes: enqueue and resubmit refuse what the form refuses, a leave
 * answered 1001 is accepted through the worker, api_type only with app_id, card_no/card_id on the wire.
 */
import { describe, expect, it } from 'vitest';
import { createPlatformClient } from '../../electron/platform/client.ts';
import { prepareRequest } from '../../electron/platform/prepare.ts';
import { RecordError } from '../../shared/records/fields.ts';
import { leaveRecord, updateRecord, vipRow } from '../fixtures/records.ts';
import { openHarness, until } from '../support/queue-harness.ts';
import { useSandbox } from '../support/sandbox.ts';

const { sandbox, target } = useSandbox();
const LONG_KEY = JSON.parse('{"k": 20261126123456789012}').k as number;

describe('enqueue and resubmit use the same rules as the form', () => {
  it('enqueue refuses a bad plate, a year-9999 time, hidden characters and a numeric key; stores nothing', async () => {
    const h = openHarness(target());
    try {
      const bad: [string, Record<string, unknown>, RegExp][] = [
        ['update', updateRecord({ plate: '😀 not a plate' }), /plate: 车牌号码须以省份简称开头/],
        ['update', updateRecord({ operate_time: '9999-01-01T00:00:00Z' }), /operate_time: 不能晚于现在一天以上/],
        ['update', updateRecord({ reason: '设备\u202E异常' }), /reason: 不能含看不见的格式字符/],
        ['update', updateRecord({ flow_no: LONG_KEY }), /flow_no: 须为文本: 编号请加引号写成字符串/],
        ['leave', leaveRecord({ plate: '粤B\u200B12345' }), /plate: 车牌号码不能含/],
        [
          'leave',
          leaveRecord({ leave_image_hash: '3EF48C1A8A95DF308EFF872082280815' }),
          /leave_image_hash: 传了图片 hash 就必须传文件/,
        ],
        ['vip-recharge', { row: [vipRow({ plate: '无牌车' })] }, /row\[0\]\.plate: 此处须为真实车牌/],
        ['vip-recharge', { row: [vipRow({ pay_partner: LONG_KEY })] }, /row\[0\]\.pay_partner: 须为文本/],
      ];
      for (const [endpoint, record, message] of bad) {
        expect(() => h.queue.enqueue(endpoint as 'update', record), `${endpoint} ${message}`).toThrow(message);
      }
      expect(h.queue.status().counts.waiting).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('resubmit refuses an edit the form would refuse, and keeps the record as it was', async () => {
    const h = openHarness(target());
    try {
      const rec = updateRecord({ flow_no: 'RS-1' });
      const { id } = h.queue.enqueue('update', rec);
      const edits = [
        { plate: '😀 not a plate' },
        { plate: '粤B1234\uD800' },
        { operate_time: '1900-01-01T00:00:00Z' },
        { enter_time: '2026-11-25T01:00:00Z', leave_time: '2026-11-25T00:00:00Z' },
        { car_desc: '临\u200B停' },
      ];
      for (const edit of edits) {
        expect(() => h.queue.resubmit(id, '张三', { ...rec, ...edit }), JSON.stringify(edit)).toThrow(RecordError);
      }
      expect(h.queue.get(id)?.record).toMatchObject({ plate: '粤B12345', operate_time: rec.operate_time });
      // The same edit, written as the form writes it, is taken and normalised.
      expect(h.queue.resubmit(id, '张三', { ...rec, plate: '粤 b 54321' }).record).toMatchObject({ plate: '粤B54321' });
    } finally {
      await h.close();
    }
  });
});

describe('leave answered 1001 (the vendor: 200, 1001 and 1000 all mean uploaded)', () => {
  it('is counted accepted by the worker, not retried or flagged', async () => {
    const h = openHarness(target());
    try {
      sandbox().setFaults([{ endpoint: 'leave', kind: 'error', httpStatus: 200, code: '1001', message: '上传成功' }]);
      const { id } = h.queue.enqueue('leave', leaveRecord());
      h.queue.start();
      await until(() => h.queue.get(id)?.state !== 'waiting' && h.queue.get(id)?.state !== 'sending');
      expect(h.queue.get(id)?.state).toBe('accepted');
      const log = h.queue.queryLog({ limit: 10 }).rows;
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ outcome: 'accepted', code: '1001' });
      expect(
        sandbox()
          .state()
          .requests.map((r) => r.code),
      ).toEqual(['1001']);
    } finally {
      await h.close();
    }
  });
});

describe('on the wire', () => {
  const client = createPlatformClient({ timeoutMs: 2000 });

  it('api_type is sent only with app_id: a record’s own api_type is dropped without one', async () => {
    const rec = leaveRecord({ api_type: 'PARKING-SERVICE' });
    const without = await prepareRequest('leave', rec, target());
    expect(without.params).not.toHaveProperty('api_type');
    expect(without.plainMasked).not.toContain('api_type');
    const withAppId = await prepareRequest('leave', rec, target({ appId: 'op1234567723122' }));
    expect(withAppId.params).toMatchObject({ app_id: 'op1234567723122', api_type: 'PARKING-SERVICE' });
    const fromSettings = await prepareRequest(
      'leave',
      leaveRecord(),
      target({ appId: 'op1', apiType: 'FROM-SETTINGS' }),
    );
    expect(fromSettings.params.api_type).toBe('FROM-SETTINGS');
    expect((await client.send(without)).outcome).toBe('accepted');
  });

  it('card_no, card_id and a pay_type 8 payment reach the sandbox and are accepted', async () => {
    const payment = { ...(leaveRecord().payment_list as object[])[0], pay_type: '8', pay_origin_desc: '优惠券' };
    const rec = leaveRecord({ card_no: 'C-0001', card_id: 'ID-77', payment_list: [payment] });
    const o = await client.send(await prepareRequest('leave', rec, target()));
    expect(o).toMatchObject({ outcome: 'accepted', code: '200' });
    const stored = sandbox().state().accepted.leave[0]!;
    expect(stored.fields).toMatchObject({ card_no: 'C-0001', card_id: 'ID-77' });
    expect(JSON.parse(stored.fields.payment_list!)[0].pay_type).toBe('8');
  });
});
