/** Issue 8: one set of record rules (plates, times, text, types, keys) in parseRecord, for every path. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ENDPOINTS, parseRecord, type Endpoint } from '../../shared/platform/endpoints.ts';
import { PAY_TYPES } from '../../shared/records/enums.ts';
import { RecordError, toFieldIssues } from '../../shared/records/fields.ts';
import { formatUtc } from '../../shared/records/time.ts';
import { LEAVE_PAYMENT_LIST } from '../fixtures/vendor-vectors.ts';
import { leaveRecord, updateRecord, vipRow } from '../fixtures/records.ts';

function issuesOf(endpoint: Endpoint, input: unknown): Record<string, string> {
  try {
    parseRecord(endpoint, input);
  } catch (e) {
    if (e instanceof RecordError) return Object.fromEntries(e.issues.map((i) => [i.field, i.message]));
    throw e;
  }
  return {};
}
const vip = (over: Record<string, unknown>) => ({ row: [vipRow(over)] });

const DAY = 24 * 3600_000;
const BAD_TEXTS: [string, string][] = [
  ['zero-width space', '设备\u200B异常'],
  ['zero-width joiner', '设备\u200D异常'],
  ['right-to-left override', '设备\u202E异常'],
  ['isolate', '\u2066设备异常\u2069'],
  ['BOM inside', '设备\uFEFF异常'],
  ['BOM at the edge (trim would hide it)', '\uFEFF设备异常'],
  ['soft hyphen (other Cf)', '设备\u00AD异常'],
  ['C1 control', '设备\u0085异常'],
  ['DEL', '设备\u007F异常'],
  ['lone high surrogate', '设备\uD800异常'],
  ['lone low surrogate', '设备异常\uDC00'],
  ['Hangul filler', '设备\u3164异常'],
  ['braille blank', '设备\u2800异常'],
  ['combining grapheme joiner', '设备\u034F异常'],
  ['Hangul choseong filler', '设备\u115F异常'],
  ['Hangul jungseong filler', '设备\u1160异常'],
  ['half-width Hangul filler', '设备\uFFA0异常'],
  ['Khmer inherent vowel aq', '设备\u17B4异常'],
  ['Khmer inherent vowel aa', '设备\u17B5异常'],
  ['line separator (Zl)', '设备\u2028异常'],
  ['paragraph separator (Zp)', '设备\u2029异常'],
  ['private use (Co)', '设备\uE000异常'],
  ['supplementary private use (Co)', '设备\u{F0000}异常'],
  ['unassigned (Cn)', '设备\u0378异常'],
  ['noncharacter (Cn)', '设备\uFFFF异常'],
];

describe('plates: the booth form rule on update, leave and vip rows', () => {
  const bad = ['😀 not a plate', '粤B\u200B12345', '粤B12345\u202E', '粤B1234\uD800', 'ABC', '粤B1'];
  it.each(bad)('refuses %j everywhere', (plate) => {
    expect(issuesOf('update', updateRecord({ plate }))).toHaveProperty('plate');
    expect(issuesOf('leave', leaveRecord({ plate }))).toHaveProperty('plate');
    expect(issuesOf('vip-recharge', vip({ plate }))).toHaveProperty('row[0].plate');
  });

  it('normalises as the form does', () => {
    expect(parseRecord('update', updateRecord({ plate: '粤 b·123-45' })).plate).toBe('粤B12345');
    expect(parseRecord('leave', leaveRecord({ plate: '粤ｂ１２３４５' })).plate).toBe('粤B12345');
    expect(parseRecord('vip-recharge', vip({ plate: ' 粤bd12345 ' })).row[0]!.plate).toBe('粤BD12345');
  });

  it('takes 无牌车 on update and leave, not on a vip row', () => {
    expect(parseRecord('update', updateRecord({ plate: '无牌车' })).plate).toBe('无牌车');
    expect(parseRecord('leave', leaveRecord({ plate: '无牌车' })).plate).toBe('无牌车');
    expect(issuesOf('vip-recharge', vip({ plate: '无牌车' }))['row[0].plate']).toContain('真实车牌');
  });

  it('on leave, plate_type 1/2 (境外, 两轮) plates need only a plate-like text', () => {
    expect(parseRecord('leave', leaveRecord({ plate: 'ab 1234', plate_type: '1' })).plate).toBe('AB1234');
    expect(issuesOf('leave', leaveRecord({ plate: 'AB1234' }))).toHaveProperty('plate');
    expect(issuesOf('leave', leaveRecord({ plate: '😀 not a plate', plate_type: '2' }))).toHaveProperty('plate');
  });
});

describe('times: from 2000 to one day ahead of now, on every time field', () => {
  const future = formatUtc(Date.now() + 2 * DAY);
  it.each(['9999-01-01T00:00:00Z', '1900-01-01T00:00:00Z', '1999-12-31T23:59:59Z', future])(
    'update refuses %s',
    (t) => {
      for (const field of ['operate_time', 'enter_time', 'leave_time']) {
        const over = field === 'operate_time' ? { operate_time: t } : { [field]: t };
        expect(issuesOf('update', updateRecord(over)), field).toHaveProperty(field);
      }
    },
  );

  it('update takes a time a few hours ahead (a booth clock a little off) and milliseconds', () => {
    expect(() =>
      parseRecord('update', updateRecord({ operate_time: formatUtc(Date.now() + 12 * 3600_000) })),
    ).not.toThrow();
    expect(() => parseRecord('update', updateRecord({ operate_time: '2000-01-01T00:00:00.000Z' }))).not.toThrow();
  });

  it('epoch milliseconds on leave, payments and vip rows', () => {
    const year2100 = '4102444800000';
    const year1990 = '631152000000';
    for (const t of [year2100, year1990, String(Date.now() + 2 * DAY)]) {
      expect(issuesOf('leave', leaveRecord({ enter_time: t, leave_time: t }))).toHaveProperty('enter_time');
      const payment = { ...(leaveRecord().payment_list as object[])[0], pay_time: t };
      expect(issuesOf('leave', leaveRecord({ payment_list: [payment] }))).toHaveProperty('payment_list[0].pay_time');
      expect(issuesOf('vip-recharge', vip({ pay_time: t }))).toHaveProperty('row[0].pay_time');
    }
  });

  it('renewal periods may lie ahead (a year card), but not in year 9999 or before 2000', () => {
    const start = formatUtc(Date.now() + 30 * DAY);
    const end = formatUtc(Date.now() + 400 * DAY);
    expect(() => parseRecord('vip-recharge', vip({ renewal_start_time: start, renewal_end_time: end }))).not.toThrow();
    expect(issuesOf('vip-recharge', vip({ renewal_end_time: '9999-12-31T15:59:59Z' }))).toHaveProperty(
      'row[0].renewal_end_time',
    );
    expect(issuesOf('vip-recharge', vip({ renewal_start_time: '1900-01-01T00:00:00Z' }))).toHaveProperty(
      'row[0].renewal_start_time',
    );
  });

  it('update: leave_time not before enter_time', () => {
    const issues = issuesOf(
      'update',
      updateRecord({ enter_time: '2026-11-25T01:00:00Z', leave_time: '2026-11-25T00:59:59.5Z' }),
    );
    expect(issues).toEqual({ leave_time: '离场时间不能早于入场时间' });
    expect(() =>
      parseRecord('update', updateRecord({ enter_time: '2026-11-25T01:00:00Z', leave_time: '2026-11-25T01:00:00Z' })),
    ).not.toThrow();
  });

  it('vip: renewal_end_time before renewal_start_time compared as instants, not as text', () => {
    // As text '….5Z' < '…0Z' sorts before; as instants it is half a second later.
    expect(() =>
      parseRecord(
        'vip-recharge',
        vip({ renewal_start_time: '2026-01-01T00:00:00Z', renewal_end_time: '2026-01-01T00:00:00.5Z' }),
      ),
    ).not.toThrow();
    expect(
      issuesOf(
        'vip-recharge',
        vip({ renewal_start_time: '2026-01-01T00:00:00.5Z', renewal_end_time: '2026-01-01T00:00:00Z' }),
      ),
    ).toEqual({
      'row[0].renewal_end_time': '续费结束时间不能早于开始时间',
    });
  });
});

describe('text: no control, invisible or bidi characters, no lone surrogates, in any text field', () => {
  it.each(BAD_TEXTS)('%s', (_, bad) => {
    expect(
      issuesOf('update', updateRecord({ reason: bad, car_desc: bad, operator: bad, parking_serial: bad })),
    ).toEqual({
      reason: expect.stringMatching(/^(不能含|含有残缺)/),
      car_desc: expect.any(String),
      operator: expect.any(String),
      parking_serial: expect.any(String),
    });
    const payment = { ...(leaveRecord().payment_list as object[])[0], operator: bad, pay_origin_desc: bad };
    expect(
      Object.keys(issuesOf('leave', leaveRecord({ car_desc: bad, leave_gate: bad, payment_list: [payment] }))).sort(),
    ).toEqual(['car_desc', 'leave_gate', 'payment_list[0].operator', 'payment_list[0].pay_origin_desc']);
    expect(
      Object.keys(issuesOf('vip-recharge', vip({ operator: bad, charge_type: bad, card_no: bad }))).sort(),
    ).toEqual(['row[0].card_no', 'row[0].charge_type', 'row[0].operator']);
  });

  it('names the character it found', () => {
    expect(issuesOf('update', updateRecord({ reason: '设备\u202E异常' })).reason).toContain('U+202E');
  });

  it('a text made only of fillers is not blank: refused, the filler named', () => {
    for (const filler of ['\u3164', '\u2800', '\u3164\u3164', '\uFFA0', '\u115F\u1160']) {
      const cp = `U+${filler.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      expect(issuesOf('update', updateRecord({ operator: filler })).operator, JSON.stringify(filler)).toMatch(
        new RegExp(`^不能含.*\\(${cp.replace('+', '\\+')}\\)$`),
      );
      const payment = { ...(leaveRecord().payment_list as object[])[0], operator: filler };
      expect(issuesOf('leave', leaveRecord({ payment_list: [payment] }))).toHaveProperty('payment_list[0].operator');
    }
  });

  it('names separators, private use and unassigned code points', () => {
    expect(issuesOf('update', updateRecord({ reason: '设备\u2028异常' })).reason).toContain('U+2028');
    expect(issuesOf('update', updateRecord({ reason: '设备\uE000异常' })).reason).toContain('U+E000');
    expect(issuesOf('update', updateRecord({ reason: '设备\u0378异常' })).reason).toContain('U+0378');
    expect(issuesOf('update', updateRecord({ plate: '粤B\u316412345' })).plate).toContain('U+3164');
  });

  it('ordinary Chinese text, emoji pairs and spaces stay', () => {
    expect(parseRecord('update', updateRecord({ reason: ' 道闸故障 😀 手动抬杆 ' })).reason).toBe(
      '道闸故障 😀 手动抬杆',
    );
    // An emoji with its variation selector (U+FE0F) is not a hidden character.
    expect(parseRecord('update', updateRecord({ reason: '谢谢 ❤️' })).reason).toBe('谢谢 ❤️');
  });
});

describe('a wrong type is a wrong type, not 必填', () => {
  it('names the field, what was expected and what came', () => {
    expect(() => parseRecord('update', updateRecord({ plate: {} }))).toThrow('plate: 须为文本, 收到对象');
    expect(issuesOf('update', updateRecord({ operate_time: 1764118923000 })).operate_time).toMatch(
      /^须为 UTC 时间.*收到数字 1764118923000$/,
    );
    expect(() => parseRecord('vip-recharge', vip({ pay_value: 0.5 }))).toThrow(
      'row[0].pay_value: 须为整数金额(分), 不能有小数',
    );
    expect(issuesOf('update', updateRecord({ reason: ['x'], car_desc: true }))).toEqual({
      reason: '须为文本, 收到数组',
      car_desc: '须为文本, 收到布尔值 true',
    });
    expect(issuesOf('leave', leaveRecord({ payment_list: {} }))).toEqual({
      payment_list: '须为付款记录数组或其 JSON 文本, 收到对象',
    });
  });

  it('absent stays 必填', () => {
    const { operate_time: _, ...noTime } = updateRecord();
    expect(issuesOf('update', noTime)).toEqual({ operate_time: '必填' });
  });

  it('toFieldIssues reads zod’s own message too: absent is 必填, anything else says what came', () => {
    const schema = z.strictObject({ a: z.string(), b: z.number() });
    const r = schema.safeParse({ b: {} });
    expect(r.success).toBe(false);
    expect(toFieldIssues(r.error!)).toEqual([
      { field: 'a', message: '必填' },
      { field: 'b', message: '须为数字, 收到对象' },
    ]);
    const reported = schema.safeParse({ a: 5 }, { reportInput: true });
    expect(toFieldIssues(reported.error!)).toEqual([
      { field: 'a', message: '须为文本, 收到数字 5' },
      { field: 'b', message: '必填' },
    ]);
  });
});

describe('keys are text: a JSON number is refused, never rounded', () => {
  const long = JSON.parse('{"k": 20261126123456789012}').k as number;
  it('flow_no, parking_serial, pay_partner, parking_order', () => {
    const message = expect.stringContaining('须为文本: 编号请加引号写成字符串, 例如 "20261126123456789012"');
    expect(issuesOf('update', updateRecord({ flow_no: long, parking_serial: long }))).toEqual({
      flow_no: message,
      parking_serial: message,
    });
    const payment = { ...(leaveRecord().payment_list as object[])[0], parking_order: long };
    expect(issuesOf('leave', leaveRecord({ parking_serial: long, payment_list: [payment] }))).toEqual({
      parking_serial: message,
      'payment_list[0].parking_order': message,
    });
    expect(issuesOf('vip-recharge', vip({ pay_partner: long }))).toEqual({ 'row[0].pay_partner': message });
    expect(issuesOf('update', updateRecord({ flow_no: 123 })).flow_no).toContain('例如 "123"');
  });

  it('other text takes a safe integer as its text, and refuses a number it would have to change', () => {
    expect(parseRecord('update', updateRecord({ car_desc: 12345 })).car_desc).toBe('12345');
    expect(issuesOf('update', updateRecord({ car_desc: long })).car_desc).toContain('请加引号');
    expect(issuesOf('update', updateRecord({ car_desc: 1.5 })).car_desc).toContain('请加引号');
  });
});

describe('leave contract', () => {
  it('answers 200, 1001 and 1000 are all success', () => {
    expect(ENDPOINTS.leave.successCodes).toEqual(expect.arrayContaining(['200', '1001', '1000']));
  });

  it('payment pay_type 8 (优惠券全额抵扣) is a valid value', () => {
    expect(PAY_TYPES.find((p) => p.value === '8')?.label).toBe('优惠券全额抵扣');
    const payment = { ...(leaveRecord().payment_list as object[])[0], pay_type: 8 };
    expect(parseRecord('leave', leaveRecord({ payment_list: [payment] })).payment_list?.[0]?.pay_type).toBe('8');
  });

  it('a *_hash without its *_file is refused (图片hash 传了这个值一定要传文件)', () => {
    const hash = '3EF48C1A8A95DF308EFF872082280815';
    const issues = issuesOf(
      'leave',
      leaveRecord({ leave_image: 'https://x/y.jpg', leave_image_hash: hash, enter_plate_image_hash: hash }),
    );
    expect(Object.keys(issues).sort()).toEqual(['enter_plate_image_hash', 'leave_image_hash']);
    expect(issues.leave_image_hash).toContain('leave_image_file');
    expect(() =>
      parseRecord('leave', leaveRecord({ leave_image_file: '/tmp/x.jpg', leave_image_hash: hash })),
    ).not.toThrow();
  });

  it('card_no and card_id are optional text', () => {
    const r = parseRecord('leave', leaveRecord({ card_no: ' ID000001 ', card_id: 42 }));
    expect(r).toMatchObject({ card_no: 'ID000001', card_id: '42' });
    expect(issuesOf('leave', leaveRecord({ card_no: 'x'.repeat(65) }))).toHaveProperty('card_no');
  });
});

describe('payment_list: an array or its JSON text, each parking_order once', () => {
  const payment = (over: Record<string, unknown> = {}) => ({ ...(leaveRecord().payment_list as object[])[0], ...over });

  it('takes the platform’s JSON text as it takes the array, with the same result', () => {
    const list = [payment({ parking_order: 'PO-1' }), payment({ parking_order: 'PO-2', value: '300' })];
    const fromArray = parseRecord('leave', leaveRecord({ payment_list: list }));
    const fromText = parseRecord('leave', leaveRecord({ payment_list: JSON.stringify(list) }));
    expect(fromText.payment_list).toEqual(fromArray.payment_list);
    expect(fromText.payment_list?.[1]).toMatchObject({ parking_order: 'PO-2', value: 300 });
  });

  it('a long JSON text is not counted as characters; its payments are checked one by one', () => {
    const text = JSON.stringify([payment({ operator: '张三'.repeat(10) })]);
    expect(text.length).toBeGreaterThan(50);
    expect(() => parseRecord('leave', leaveRecord({ payment_list: text }))).not.toThrow();
    expect(issuesOf('leave', leaveRecord({ payment_list: JSON.stringify([payment({ value: 1.5 })]) }))).toEqual({
      'payment_list[0].value': '须为整数金额(分), 不能有小数',
    });
  });

  it('a text that is not a JSON array says what is expected, and only that', () => {
    for (const text of ['not json', '{"value":500}', '500', '"[]"']) {
      expect(issuesOf('leave', leaveRecord({ payment_list: text })), text).toEqual({
        payment_list: '须为付款记录数组或其 JSON 文本',
      });
    }
    expect(issuesOf('leave', leaveRecord({ payment_list: { length: 99 } }))).toEqual({
      payment_list: '须为付款记录数组或其 JSON 文本, 收到对象',
    });
  });

  it('at most 50 payments', () => {
    const many = Array.from({ length: 51 }, (_, i) => payment({ parking_order: `PO-${i}` }));
    expect(issuesOf('leave', leaveRecord({ payment_list: many }))).toEqual({ payment_list: '付款记录不能超过 50 条' });
    expect(() => parseRecord('leave', leaveRecord({ payment_list: many.slice(0, 50) }))).not.toThrow();
  });

  it('the same parking_order twice is refused, naming the later payment (车场订单号必须唯一)', () => {
    const list = [
      payment({ parking_order: 'PO-1', pay_type: '1' }),
      payment({ parking_order: 'PO-2', pay_type: '1' }),
      payment({ parking_order: ' PO-1', pay_type: 1 }),
    ];
    const expected = { 'payment_list[2].parking_order': expect.stringContaining('车场订单号必须唯一') };
    expect(issuesOf('leave', leaveRecord({ payment_list: list }))).toEqual(expected);
    expect(issuesOf('leave', leaveRecord({ payment_list: JSON.stringify(list) }))).toEqual(expected);
    // Payments without a parking_order are not compared.
    const { parking_order: _, ...noOrder } = payment();
    expect(() => parseRecord('leave', leaveRecord({ payment_list: [noOrder, noOrder] }))).not.toThrow();
  });

  it('one order split over two ways of paying (the vendor’s own sample) is taken', () => {
    const split = [
      payment({ parking_order: 'PO-1', pay_type: '2', value: 300 }),
      payment({ parking_order: 'PO-1', pay_type: '4', value: 200 }),
    ];
    expect(parseRecord('leave', leaveRecord({ payment_list: split })).payment_list).toHaveLength(2);
    expect(() => parseRecord('leave', leaveRecord({ payment_list: LEAVE_PAYMENT_LIST }))).not.toThrow();
  });
});

describe('amounts say which rule they break: 不能有小数, 不能为负数 or 金额过大', () => {
  const cases: [unknown, RegExp][] = [
    [999999999999999, /^金额过大/],
    ['999999999999999', /^金额过大/],
    [1e21, /^金额过大/],
    [-1, /不能为负数$/],
    ['-500', /不能为负数$/],
    [1.5, /不能有小数$/],
    ['12.50', /不能有小数$/],
  ];
  it.each(cases)('form amount (text) %j', (value, message) => {
    expect(issuesOf('leave', leaveRecord({ total_value: value })).total_value).toMatch(message);
    expect(issuesOf('leave', leaveRecord({ total_value: value })).total_value).not.toMatch(/或/);
  });
  it.each(cases)('payment amount (number) %j', (value, message) => {
    const payment = { ...(leaveRecord().payment_list as object[])[0], value };
    expect(issuesOf('leave', leaveRecord({ payment_list: [payment] }))['payment_list[0].value']).toMatch(message);
    expect(issuesOf('vip-recharge', vip({ pay_value: value }))['row[0].pay_value']).toMatch(message);
  });
  it('the largest amounts are taken', () => {
    expect(parseRecord('leave', leaveRecord({ total_value: 999999999999 })).total_value).toBe('999999999999');
    const payment = { ...(leaveRecord().payment_list as object[])[0], value: 1e11 };
    expect(parseRecord('leave', leaveRecord({ payment_list: [payment] })).payment_list?.[0]?.value).toBe(1e11);
  });
});
