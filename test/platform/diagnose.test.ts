import { describe, expect, it } from 'vitest';
import { diagnoseSignature, platformPlainText, splitPlain } from '../../electron/platform/diagnose.ts';
import { signForm } from '../../electron/platform/sign.ts';
import { LEAVE_PARAMS } from '../fixtures/vendor-vectors.ts';

/** The vendor's own example hint (internal-leave.md), as it arrives in the JSON body (quotes escaped). */
const VENDOR_HINT =
  '签名验证不通过[car_color=1&car_desc=临时车&car_type=1&enter_time=1624874732253&leave_gate=出口名称' +
  '&leave_image=https://t7.baidu.com/it/u=1595072465,3644073269&fm=193&f=GIF' +
  '&leave_image_hash=3EF48C1A8A95DF308EFF872082280815&leave_release_reason=离场人工放行原因&leave_security=出口保安' +
  '&leave_time=1624938055655&park_uuid=49f0cc52-e8c7-41e3-b54d-af666b8cc11a' +
  '&parking_serial=202106028000000007&payment_list=[{\\"change_value\\":\\"500\\",\\"free_value\\":100,' +
  '\\"operator\\":\\"张三\\",\\"parking_order\\":\\"1624938055655\\",\\"pay_origin_desc\\":\\"现金\\",' +
  '\\"pay_time\\":\\"1624938055655\\",\\"pay_type\\":\\"1\\",\\"value\\":500}]&plate=粤X44444' +
  '&plate_color=1&remain_parking_space=10&total_parking_space=100&vehicle_type=1&app_secret=***]';

describe('signature diagnosis', () => {
  it('reads the platform plain text out of the hint and removes the display escapes', () => {
    const theirs = platformPlainText(VENDOR_HINT)!;
    expect(theirs).toContain('payment_list=[{"change_value":"500"');
    expect(theirs.endsWith('&app_secret=***')).toBe(true);
  });

  it('keeps an image URL with & and = in its query as one value', () => {
    const pairs = splitPlain('leave_image=https://x/y?u=1&fm=193&f=GIF&leave_time=1&plate=粤A', new Set(['plate']));
    expect(pairs.get('leave_image')).toBe('https://x/y?u=1&fm=193&f=GIF');
    expect(pairs.get('plate')).toBe('粤A');
  });

  it('names the fields that differ from what we signed', () => {
    const ours = signForm(LEAVE_PARAMS, 'x').plainMasked;
    const d = diagnoseSignature(ours, VENDOR_HINT)!;
    expect(d.identical).toBe(false);
    expect(d.fields.map((f) => f.field)).toEqual(['leave_time', 'payment_list']);
    expect(d.fields[0]).toEqual({ field: 'leave_time', ours: '1624937505093', theirs: '1624938055655' });
    expect(d.summary).toContain('leave_time');
    expect(d.firstDifference).toBeGreaterThan(0);
  });

  it('says it can only be the secret when both texts are the same', () => {
    const ours = signForm({ plate: '粤A1', park_uuid: 'P' }, 'x').plainMasked;
    const d = diagnoseSignature(ours, 'park_uuid=P&plate=粤A1&app_secret=***')!;
    expect(d).toMatchObject({ identical: true, firstDifference: -1, fields: [] });
    expect(d.summary).toContain('密钥');
  });

  it('has nothing to say when the hint carries no signed text', () => {
    expect(diagnoseSignature('a=1&app_secret=***', '参数`enter_time`未传递')).toBeNull();
    expect(diagnoseSignature('a=1&app_secret=***', null)).toBeNull();
  });
});
