/** Which column is which field: the template's headers, their other names, and mappings made by hand. */
import { describe, expect, it } from 'vitest';
import {
  BAD_ROWS_REASON_HEADER,
  headersKey,
  mapHeaders,
  parseMapArg,
  TEMPLATE_COLUMNS,
} from '../../electron/import/headers.ts';
import { ImportFileError } from '../../electron/import/read-table.ts';
import { TEMPLATE_HEADERS } from './helpers.ts';

describe('the template columns', () => {
  it('are in the order the issue gives, with their fields and required marks', () => {
    expect(TEMPLATE_COLUMNS.map((c) => c.header)).toEqual(TEMPLATE_HEADERS);
    expect(TEMPLATE_COLUMNS.map((c) => c.field)).toEqual([
      'plate',
      'plate_color',
      'charge_type',
      'vip_type',
      'quantity',
      'pay_partner',
      'pay_type',
      'value',
      'pay_time',
      'start_day',
      'end_day',
      'pay_value',
      'operator',
      'card_no',
      'card_id',
    ]);
    expect(TEMPLATE_COLUMNS.filter((c) => c.required).map((c) => c.field)).toEqual([
      'plate',
      'plate_color',
      'charge_type',
      'vip_type',
      'quantity',
      'pay_type',
    ]);
    for (const c of TEMPLATE_COLUMNS) expect(c.note).not.toBe('');
  });

  it('map to themselves with nothing missing', () => {
    const m = mapHeaders(TEMPLATE_HEADERS);
    expect(m.columns).toEqual(TEMPLATE_COLUMNS.map((c) => c.field));
    expect(m.missing).toEqual([]);
    expect(m.unknownFields).toEqual([]);
    expect(m.mapping.车牌号码).toBe('plate');
  });
});

describe('other names people give the columns', () => {
  it.each([
    ['车牌', 'plate'],
    ['车牌号', 'plate'],
    ['起始日期', 'start_day'],
    ['生效日期', 'start_day'],
    ['到期日期', 'end_day'],
    ['截止日期', 'end_day'],
    ['金额', 'pay_value'],
    ['实收金额', 'pay_value'],
    ['支付金额', 'pay_value'],
    ['订单号', 'pay_partner'],
    ['支付金额（元）', 'pay_value'],
    ['支付金额 (元)', 'pay_value'],
    [' 车牌号码* ', 'plate'],
    ['*车牌颜色', 'plate_color'],
    ['车牌号码（必填）', 'plate'],
    ['固定车 类型', 'vip_type'],
    ['plate', 'plate'],
    ['Plate_Color', 'plate_color'],
  ])('%j → %s', (header, field) => {
    expect(mapHeaders([header]).columns).toEqual([field]);
  });

  it('leaves unknown columns and the bad-rows file reason column out', () => {
    const m = mapHeaders(['车牌号码', '备注', '', BAD_ROWS_REASON_HEADER]);
    expect(m.columns).toEqual(['plate', null, null, null]);
    expect(m.mapping).toEqual({ 车牌号码: 'plate', 备注: null, [BAD_ROWS_REASON_HEADER]: null });
  });

  it('reports the required fields no column gives', () => {
    expect(mapHeaders(['车牌', '备注', '金额']).missing).toEqual([
      'plate_color',
      'charge_type',
      'vip_type',
      'quantity',
      'pay_type',
    ]);
  });

  it('takes the better-known name when two columns claim one field, whatever their order', () => {
    const m = mapHeaders(['金额', '车牌', '支付金额(元)', '车牌号码']);
    expect(m.columns).toEqual([null, null, 'pay_value', 'plate']);
    expect(m.mapping).toEqual({ 金额: null, 车牌: null, '支付金额(元)': 'pay_value', 车牌号码: 'plate' });
    expect(mapHeaders(['实收金额', '金额']).columns).toEqual(['pay_value', null]);
  });
});

describe('mappings by hand', () => {
  const headers = ['车号', '颜色', '规则', '卡类', '月数', '付款', '实收金额', '备注'];
  const given = { 车号: 'plate', 颜色: 'plate_color', 规则: 'charge_type', 卡类: '固定车类型', 月数: 'quantity' };

  it('maps what is given (field names or template headers) and keeps the rest automatic', () => {
    const m = mapHeaders(headers, { ...given, 付款: 'pay_type' });
    expect(m.columns).toEqual([
      'plate',
      'plate_color',
      'charge_type',
      'vip_type',
      'quantity',
      'pay_type',
      'pay_value',
      null,
    ]);
    expect(m.missing).toEqual([]);
  });

  it('applies a remembered mapping when nothing is given, and the given one over it', () => {
    const remembered = { ...given, 付款: 'pay_type', 实收金额: null };
    const m = mapHeaders(headers, undefined, remembered);
    expect(m.columns.slice(5, 7)).toEqual(['pay_type', null]);
    const both = mapHeaders(headers, { 实收金额: 'pay_value' }, remembered);
    expect(both.columns.slice(0, 7)).toEqual([
      'plate',
      'plate_color',
      'charge_type',
      'vip_type',
      'quantity',
      'pay_type',
      'pay_value',
    ]);
  });

  it('matches a given header written a little differently, and takes null as "not imported"', () => {
    const m = mapHeaders(['车牌号码*', '金额'], { 车牌号码: 'plate', 金额: null });
    expect(m.columns).toEqual(['plate', null]);
  });

  it('lets a hand-mapped column win over a recognised one for the same field', () => {
    const m = mapHeaders(['车牌号码', '新车牌'], { 新车牌: 'plate' });
    expect(m.columns).toEqual([null, 'plate']);
  });

  it('names what is not a field, and refuses two hand-mapped columns for one field', () => {
    expect(mapHeaders(['车号'], { 车号: 'plaet' }).unknownFields).toEqual(['plaet']);
    const error = (() => {
      try {
        mapHeaders(['车号', '号牌'], { 车号: 'plate', 号牌: '车牌号码' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as Error).message).toBe(
      '「车号」和「号牌」都对应了「车牌号码」, 每一项只能由一列填写, 请只保留其中一列',
    );
  });
});

describe('headersKey', () => {
  it('is the same for the same header set in any order or spelling, and for its bad-rows file', () => {
    const key = headersKey(['车号', '颜色', '金额']);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(headersKey([' 金额 ', '颜色', '车号', ''])).toBe(key);
    expect(headersKey(['车号', '颜色', '金额', BAD_ROWS_REASON_HEADER])).toBe(key);
    expect(headersKey(['车号', '颜色'])).not.toBe(key);
  });
});

describe('parseMapArg (the command line)', () => {
  it('reads header=field pairs, fields by name or template header, - for not imported', () => {
    expect(parseMapArg('车号=plate, 金额=支付金额(元)，备注=-,颜色＝车牌颜色')).toEqual({
      车号: 'plate',
      金额: 'pay_value',
      备注: null,
      颜色: 'plate_color',
    });
  });

  it.each([
    ['', /--map 是空的/],
    ['车号', /「车号」缺少等号/],
    ['=plate', /缺少表头/],
    ['车号=plaet', /「plaet」不是可导入的字段, 可用: plate\(车牌号码\)/],
    ['车号=plate,车号=plate', /表头「车号」写了两次/],
  ])('refuses %j in words', (text, message) => {
    expect(() => parseMapArg(text)).toThrow(ImportFileError);
    expect(() => parseMapArg(text)).toThrow(message);
  });
});
