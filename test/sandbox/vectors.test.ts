// The vendor's two published signing vectors (secret `123`) from internal-leave.md, and a leave
// built from the published parameters accepted by the sandbox.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../electron/sandbox/server.ts';
import { LEAVE, md5, plainOf, postMultipart, withSign, type Params } from './helpers.ts';

const VENDOR_PARK = '49f0cc52-e8c7-41e3-b54d-af666b8cc11a';
const VENDOR_SECRET = '123';

const PAYMENT_LIST =
  '[{"change_value":"500","free_value":100,"operator":"张三","parking_order":"1624937505093",' +
  '"pay_origin_desc":"现金","pay_time":"1624937505093","pay_type":"1","value":500},' +
  '{"change_value":"0","free_value":100,"operator":"","parking_order":"1624937505193",' +
  '"pay_origin_desc":"在线支付","pay_time":"1624937505093","pay_type":"2","value":500},' +
  '{"change_value":"0","free_value":0,"operator":"","parking_order":"1624937505193",' +
  '"pay_origin_desc":"储值卡余额支付","pay_time":"1624937505093","pay_type":"4","value":500}]';

/** The leave example's parameters, in the vendor's Java insertion order (not sorted). */
const LEAVE_VECTOR: Params = [
  ['park_uuid', VENDOR_PARK],
  ['parking_serial', '202106028000000007'],
  ['plate', '粤X44444'],
  ['plate_color', '1'],
  ['enter_time', '1624874732253'],
  ['leave_image', 'https://t7.baidu.com/it/u=1595072465,3644073269&fm=193&f=GIF'],
  ['leave_gate', '出口名称'],
  ['leave_security', '出口保安'],
  ['car_type', '1'],
  ['car_desc', '临时车'],
  ['car_color', '1'],
  ['vehicle_type', '1'],
  ['leave_release_reason', '离场人工放行原因'],
  ['total_parking_space', '100'],
  ['remain_parking_space', '10'],
  ['leave_image_hash', '3EF48C1A8A95DF308EFF872082280815'],
  ['leave_time', '1624937505093'],
  ['payment_list', PAYMENT_LIST],
];

const ENTER_VECTOR: Params = [
  ['park_uuid', VENDOR_PARK],
  ['parking_serial', '202106028000000007'],
  ['plate', '粤X44444'],
  ['plate_color', '1'],
  ['enter_time', '1624874732253'],
  ['enter_image', 'https://t7.baidu.com/it/u=1595072465,3644073269&fm=193&f=GIF'],
  ['enter_gate', '入口名称'],
  ['enter_security', '入口保安'],
  ['car_type', '1'],
  ['car_desc', '临时车'],
  ['car_color', '1'],
  ['vehicle_type', '1'],
  ['enter_release_reason', '访问客户'],
  ['total_parking_space', '100'],
  ['remain_parking_space', '10'],
  ['enter_image_hash', '3EF48C1A8A95DF308EFF872082280815'],
];

const PUBLISHED_LEAVE_STR =
  'car_color=1&car_desc=临时车&car_type=1&enter_time=1624874732253&leave_gate=出口名称' +
  '&leave_image=https://t7.baidu.com/it/u=1595072465,3644073269&fm=193&f=GIF' +
  '&leave_image_hash=3EF48C1A8A95DF308EFF872082280815&leave_release_reason=离场人工放行原因&leave_security=出口保安' +
  '&leave_time=1624937505093&park_uuid=49f0cc52-e8c7-41e3-b54d-af666b8cc11a' +
  '&parking_serial=202106028000000007&payment_list=[{"change_value":"500","free_value":100,' +
  '"operator":"张三","parking_order":"1624937505093","pay_origin_desc":"现金","pay_time":"1624937505093",' +
  '"pay_type":"1","value":500},{"change_value":"0","free_value":100,"operator":"",' +
  '"parking_order":"1624937505193","pay_origin_desc":"在线支付","pay_time":"1624937505093","pay_type":"2",' +
  '"value":500},{"change_value":"0","free_value":0,"operator":"","parking_order":"1624937505193",' +
  '"pay_origin_desc":"储值卡余额支付","pay_time":"1624937505093","pay_type":"4","value":500}]&plate=粤X44444' +
  '&plate_color=1&remain_parking_space=10&total_parking_space=100&vehicle_type=1&app_secret=123';

const PUBLISHED_ENTER_STR =
  'car_color=1&car_desc=临时车&car_type=1&enter_gate=入口名称' +
  '&enter_image=https://t7.baidu.com/it/u=1595072465,3644073269&fm=193&f=GIF' +
  '&enter_image_hash=3EF48C1A8A95DF308EFF872082280815&enter_release_reason=访问客户&enter_security=入口保安' +
  '&enter_time=1624874732253&park_uuid=49f0cc52-e8c7-41e3-b54d-af666b8cc11a' +
  '&parking_serial=202106028000000007&plate=粤X44444&plate_color=1&remain_parking_space=10' +
  '&total_parking_space=100&vehicle_type=1&app_secret=123';

describe('published vectors (secret 123)', () => {
  it('MD5 of the published leave plain string is 142FA4A7E91F18E7545328900498933B', () => {
    expect(md5(PUBLISHED_LEAVE_STR)).toBe('142FA4A7E91F18E7545328900498933B');
  });

  it('MD5 of the published enter plain string is F58EDB51E299C99BE0E24D84739994CA', () => {
    expect(md5(PUBLISHED_ENTER_STR)).toBe('F58EDB51E299C99BE0E24D84739994CA');
  });

  it('the leave plain string is reproduced from the parameters (sort, join, append secret)', () => {
    expect(`${plainOf(LEAVE_VECTOR)}&app_secret=${VENDOR_SECRET}`).toBe(PUBLISHED_LEAVE_STR);
  });

  it('the enter plain string is reproduced from the parameters', () => {
    expect(`${plainOf(ENTER_VECTOR)}&app_secret=${VENDOR_SECRET}`).toBe(PUBLISHED_ENTER_STR);
  });
});

describe('sandbox against the vendor leave example', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ parks: { [VENDOR_PARK]: VENDOR_SECRET } });
  });
  afterAll(() => sb.close());

  const publishedSignPasses =
    'the published sign itself is what the sandbox expects for those parameters ' +
    '(sample lacks charge_type → 400 after the sign passes)';
  it(publishedSignPasses, async () => {
    const params: Params = [...LEAVE_VECTOR, ['sign', '142FA4A7E91F18E7545328900498933B']];
    const a = await postMultipart(sb.url, LEAVE, params);
    // The signature passes (no 签名验证不通过 hint); the sample simply lacks charge_type.
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ code: '400', message: '请求参数错误', hint: '参数`charge_type`未传递' });
  });

  it('accepts the example with a charge_type added and re-signed', async () => {
    const params = withSign([...LEAVE_VECTOR, ['charge_type', '1']], VENDOR_SECRET);
    const a = await postMultipart(sb.url, LEAVE, params);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ code: '200', message: 'OK', data_node: 'SANDBOX/LOCAL-1', path: `POST ${LEAVE}` });
    expect(a.body.hint).toBeUndefined();
    const stored = sb.state().accepted.leave;
    expect(stored).toHaveLength(1);
    expect(stored[0]?.park_uuid).toBe(VENDOR_PARK);
    expect(stored[0]?.key).toBe('202106028000000007');
    expect(stored[0]?.fields.payment_list).toBe(PAYMENT_LIST);
    expect(stored[0]?.fields.leave_image).toBe('https://t7.baidu.com/it/u=1595072465,3644073269&fm=193&f=GIF');
    expect(stored[0]?.fields.sign).toBeUndefined();
    expect(stored[0]?.seqno).toBe(a.body.seqno);
  });

  it('a bad sign on that example answers 200 已忽略当前请求 with the platform plain text, secret masked', async () => {
    const params: Params = [
      ...LEAVE_VECTOR,
      ['charge_type', '1'],
      ['parking_serial2', 'x'],
      ['sign', '142FA4A7E91F18E7545328900498933B'],
    ];
    const a = await postMultipart(sb.url, LEAVE, params);
    expect(a.status).toBe(200);
    expect(a.body.code).toBe('200');
    expect(a.body.message).toBe('已忽略当前请求');
    expect(a.body.hint).toBe(`签名验证不通过[${plainOf(params)}&app_secret=***]`);
  });
});
