/** Each kind of cell read as the person meant it: text, numbers and Excel dates alike. */
import { describe, expect, it } from 'vitest';
import {
  cellText,
  PAY_TYPE_KIND,
  PLATE_COLOR_KIND,
  type Read,
  readCount,
  readDateTime,
  readDay,
  readEnum,
  readFaceValue,
  readKey,
  readPlate,
  readText,
  readYuan,
  serialToLocal,
  VIP_TYPE_KIND,
  wallClockOf,
} from '../../electron/import/cells.ts';
import type { CellValue } from '../../electron/import/read-table.ts';
import { ZONE } from './helpers.ts';

const value = <T>(r: Read<T>): T | undefined => {
  if (r.problem !== undefined) throw new Error(`unexpected problem: ${r.problem}`);
  return r.value;
};
const problem = <T>(r: Read<T>): string => {
  if (r.problem === undefined) throw new Error(`expected a problem, got ${JSON.stringify(r.value)}`);
  return r.problem;
};
const date = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0): CellValue => ({
  date: { year, month, day, hour, minute, second },
});

describe('blank cells', () => {
  it.each([null, undefined, '', '   '])('%j is no value, not a problem', (cell) => {
    expect(readPlate(cell as CellValue, '车牌号码')).toEqual({ value: undefined });
    expect(readYuan(cell as CellValue, '支付金额(元)')).toEqual({ value: undefined });
    expect(readDay(cell as CellValue, '开始日期')).toEqual({ value: undefined });
    expect(readEnum(cell as CellValue, PLATE_COLOR_KIND, '车牌颜色')).toEqual({ value: undefined });
  });
});

describe('plates and text', () => {
  it('keeps a plate as text, normalised as the form does', () => {
    expect(value(readPlate(' 粤b 12345 ', '车牌号码'))).toBe('粤B12345');
    expect(value(readPlate('粤BD12345', '车牌号码'))).toBe('粤BD12345');
  });

  it('keeps a plate that breaks the rules as written, for the rules to name', () => {
    expect(value(readPlate('粤B1234', '车牌号码'))).toBe('粤B1234');
  });

  it('never takes a number or a date for a plate', () => {
    expect(problem(readPlate(12345, '车牌号码'))).toMatch(/^车牌号码须为文字.*数字 12345/);
    expect(problem(readPlate(date(2026, 12, 1), '车牌号码'))).toMatch(/日期 2026-12-01/);
  });

  it('reads a whole number in a text column as its digits', () => {
    expect(value(readText(101, '收费类型'))).toBe('101');
    expect(value(readText('MON_A', '收费类型'))).toBe('MON_A');
  });

  it('refuses Excel errors and formulas without a result, naming the column', () => {
    expect(problem(readText('#N/A', '收费类型'))).toBe('收费类型是公式错误 #N/A, 请在 Excel 中改正公式或直接填写');
    expect(problem(readText('=VLOOKUP(A2,B:C,2)', '收费类型'))).toMatch(/^收费类型是公式 =VLOOKUP.*没有计算结果/);
  });
});

describe('order and card numbers', () => {
  it('keeps text as it is (leading zeros and long numbers included)', () => {
    expect(value(readKey('00123', '车场订单号'))).toBe('00123');
    expect(value(readKey('20261126123456789012', '车场订单号'))).toBe('20261126123456789012');
  });

  it('takes a number cell only when Excel kept all its digits', () => {
    expect(value(readKey(123456, '逻辑卡号'))).toBe('123456');
    expect(value(readKey(123456789012345, '逻辑卡号'))).toBe('123456789012345');
    expect(problem(readKey(1234567890123456, '逻辑卡号'))).toMatch(/^逻辑卡号是数字 1234567890123456, 超过 15 位/);
    expect(problem(readKey(Number('20261126123456789012'), '车场订单号'))).toMatch(/超过 15 位.*文本格式/);
    expect(problem(readKey(12.5, '车场订单号'))).toMatch(/须为文字编号/);
  });

  it('names scientific notation that a CSV saved by Excel has instead of the number', () => {
    expect(problem(readKey('2.02611E+19', '车场订单号'))).toMatch(/^车场订单号显示为科学计数法「2.02611E\+19」/);
  });
});

describe('enumerations: codes or names', () => {
  it.each([
    [1, '1'],
    ['1', '1'],
    ['01', '1'],
    ['蓝色', '1'],
    ['蓝', '1'],
    ['蓝牌', '1'],
    [' 黄 色 ', '2'],
    ['绿牌', '5'],
    [-1, '-1'],
    ['-1', '-1'],
    ['未知', '-1'],
  ])('车牌颜色 %j → %s', (cell, code) => {
    expect(value(readEnum(cell, PLATE_COLOR_KIND, '车牌颜色'))).toBe(code);
  });

  it.each([
    ['月卡', '1'],
    [1, '1'],
    ['年卡', '5'],
    [5, '5'],
    ['储值', '2'],
    ['季度卡', '6'],
    ['半年卡', '7'],
    ['免费停车(白名单)', '0'],
    ['免费停车（白名单）', '0'],
    ['白名单', '0'],
    [0, '0'],
  ])('固定车类型 %j → %s', (cell, code) => {
    expect(value(readEnum(cell, VIP_TYPE_KIND, '固定车类型'))).toBe(code);
  });

  it.each([
    ['现金', '1'],
    ['现金支付', '1'],
    [1, '1'],
    ['在线', '2'],
    ['在线支付', '2'],
    ['微信', '2'],
    ['支付宝', '2'],
    [2, '2'],
  ])('支付方式 %j → %s', (cell, code) => {
    expect(value(readEnum(cell, PAY_TYPE_KIND, '支付方式'))).toBe(code);
  });

  it('lists what is accepted when a value is unknown', () => {
    expect(problem(readEnum('紫色', PLATE_COLOR_KIND, '车牌颜色'))).toBe(
      '车牌颜色「紫色」无法识别, 可填代码或名称: 1 蓝色 (蓝, 蓝牌), 2 黄色 (黄, 黄牌), 3 白色 (白, 白牌), ' +
        '4 黑色 (黑, 黑牌), 5 绿色 (绿, 绿牌, 新能源), -1 未知 (其他)',
    );
    const pay = problem(readEnum(9, PAY_TYPE_KIND, '支付方式'));
    expect(pay).toMatch(/^支付方式「9」无法识别/);
    expect(pay).toContain('1 现金支付 (现金)');
    expect(pay).toContain('2 在线支付 (在线');
    expect(problem(readEnum(1.5, VIP_TYPE_KIND, '固定车类型'))).toContain('1 月卡');
  });
});

describe('amounts in yuan → fen, on their text', () => {
  it.each([
    ['¥1,200.00', 120000],
    ['￥1,200.00', 120000],
    ['1,200', 120000],
    ['1200', 120000],
    ['1200元', 120000],
    ['RMB 12.5', 1250],
    [' 0.5 ', 50],
    ['19.99', 1999],
    ['1,234,567.89', 123456789],
    [1200, 120000],
    [19.99, 1999],
    [0.07, 7],
    [1.1, 110],
    [0, 0],
  ])('%j → %d fen', (cell, fen) => {
    expect(value(readYuan(cell, '支付金额(元)'))).toBe(fen);
  });

  it('reads a formula result as Excel shows it (15 significant digits), never 1 fen off', () => {
    expect(value(readYuan(0.1 + 0.2, '支付金额(元)'))).toBe(30);
    expect(value(readYuan(108.00000000000001, '支付金额(元)'))).toBe(10800);
    expect(value(readYuan(1.005 * 1000, '支付金额(元)'))).toBe(100500);
  });

  it('refuses more than two decimals', () => {
    expect(problem(readYuan('19.999', '支付金额(元)'))).toBe('支付金额(元)最多两位小数(到分), 表中为「19.999」');
    expect(problem(readYuan(19.999, '支付金额(元)'))).toMatch(/最多两位小数/);
  });

  it.each(['-5', '-¥5', '¥-5', '(5.00)', '－5'])('refuses the negative amount %j', (cell) => {
    expect(problem(readYuan(cell, '支付金额(元)'))).toMatch(/^支付金额\(元\)不能为负数/);
  });

  it('refuses negative numbers, misplaced separators, words and huge amounts', () => {
    expect(problem(readYuan(-5, '支付金额(元)'))).toBe('支付金额(元)不能为负数, 表中为 -5');
    expect(problem(readYuan('1,2', '支付金额(元)'))).toMatch(/千位分隔符/);
    expect(problem(readYuan('一百', '支付金额(元)'))).toMatch(/须为金额\(元\)/);
    expect(problem(readYuan('12345678901', '支付金额(元)'))).toMatch(/金额过大/);
    expect(problem(readYuan(1e21, '支付金额(元)'))).toMatch(/须为金额/);
    expect(problem(readYuan(date(2026, 1, 1), '支付金额(元)'))).toMatch(/日期/);
  });
});

describe('面额 by the card type', () => {
  it('is money (fen as text) for 储值', () => {
    expect(value(readFaceValue('¥500', '2', '面额'))).toBe('50000');
    expect(value(readFaceValue(19.99, '2', '面额'))).toBe('1999');
  });

  it('is a whole count or number of days for the others', () => {
    expect(value(readFaceValue(30, '1', '面额'))).toBe('30');
    expect(value(readFaceValue('30天', '4', '面额'))).toBe('30');
    expect(value(readFaceValue('10 次', '3', '面额'))).toBe('10');
    expect(problem(readFaceValue('1.5', '1', '面额'))).toMatch(/^面额须为整数.*\(天数, 整数天\)$/);
    expect(problem(readFaceValue('10次', '1', '面额'))).toMatch(/须为整数/);
  });

  it('is left blank for 免费停车', () => {
    expect(value(readFaceValue(null, '0', '面额'))).toBeUndefined();
    expect(problem(readFaceValue(30, '0', '面额'))).toMatch(/免费停车\(白名单\)不用填写面额/);
  });
});

describe('续费数量', () => {
  it.each([
    [1, 1],
    ['1', 1],
    ['１２', 12],
    ['3.0', 3],
  ])('%j → %d', (cell, n) => {
    expect(value(readCount(cell, '续费数量'))).toBe(n);
  });

  it('refuses fractions, negatives and words', () => {
    expect(problem(readCount(1.5, '续费数量'))).toBe('续费数量须为整数, 表中为 1.5');
    expect(problem(readCount('-1', '续费数量'))).toMatch(/不能为负数/);
    expect(problem(readCount('一个月', '续费数量'))).toMatch(/须为整数, 例如 1/);
  });
});

describe('days: every way of writing 2026-12-01 is the same day', () => {
  const serial = (Date.UTC(2026, 11, 1) - Date.UTC(1899, 11, 30)) / 86_400_000;

  it.each<[CellValue]>([
    ['2026/12/1'],
    ['2026-12-01'],
    ['2026年12月1日'],
    ['2026年 12月 1日'],
    ['2026.12.1'],
    ['20261201'],
    [20261201],
    [46357],
    [serial],
    [date(2026, 12, 1)],
    ['2026-12-01 00:00:00'],
    ['2026/12/1 0:00'],
    ['２０２６－１２－０１'],
  ])('%j', (cell) => {
    expect(value(readDay(cell, '开始日期'))).toBe('2026-12-01');
  });

  it('takes the end of a day as that day', () => {
    expect(value(readDay('2026-12-31 23:59:59', '结束日期'))).toBe('2026-12-31');
    expect(value(readDay(date(2026, 12, 31, 23, 59, 59), '结束日期'))).toBe('2026-12-31');
  });

  it('refuses what is not a real day, with the column named', () => {
    expect(problem(readDay('2026-13-01', '开始日期'))).toBe('开始日期「2026-13-01」不是有效的日期或时间');
    expect(problem(readDay('2026-02-30', '开始日期'))).toMatch(/不是有效的日期/);
    expect(problem(readDay('下个月', '开始日期'))).toBe('开始日期「下个月」不是日期, 请写成 2026-12-01');
    expect(problem(readDay(2026, '开始日期'))).toBe('开始日期是数字 2026, 不是日期: 请写成 2026-12-01');
    expect(problem(readDay('2026-12-01 08:30', '开始日期'))).toMatch(/只填日期/);
    expect(problem(readDay(true, '开始日期'))).toMatch(/须为日期/);
  });
});

describe('支付时间: a wall clock in the car park zone → epoch ms', () => {
  const at830 = Date.UTC(2026, 11, 1, 0, 30); // 08:30 in Shanghai (UTC+8)

  it.each<[CellValue]>([
    ['2026-12-01 08:30'],
    ['2026/12/1 8:30:00'],
    ['2026-12-01T08:30:00'],
    ['2026年12月1日 8:30'],
    ['20261201083000'],
    [date(2026, 12, 1, 8, 30)],
    [46357 + 8.5 / 24],
    [String(at830)],
    [at830],
  ])('%j', (cell) => {
    expect(value(readDateTime(cell, ZONE, '支付时间'))).toBe(at830);
  });

  it('uses the car park zone, never the PC zone', () => {
    expect(value(readDateTime('2026-12-01 08:30', 'Asia/Urumqi', '支付时间'))).toBe(Date.UTC(2026, 11, 1, 2, 30));
  });

  it('takes a day alone as its midnight', () => {
    expect(value(readDateTime('2026-12-01', ZONE, '支付时间'))).toBe(Date.UTC(2026, 10, 30, 16));
  });

  it('refuses seconds since the epoch and nonsense', () => {
    expect(problem(readDateTime('1796085000', ZONE, '支付时间'))).toMatch(/秒级时间戳/);
    expect(problem(readDateTime('2026-12-01 25:00', ZONE, '支付时间'))).toMatch(/不是有效的日期或时间/);
  });
});

describe('Excel serial days and date cells', () => {
  it('counts from 1899-12-30, around the 29 February 1900 Excel believes in', () => {
    expect(serialToLocal(1)).toMatchObject({ year: 1900, month: 1, day: 1 });
    expect(serialToLocal(59)).toMatchObject({ year: 1900, month: 2, day: 28 });
    expect(serialToLocal(60)).toBeNull();
    expect(serialToLocal(61)).toMatchObject({ year: 1900, month: 3, day: 1 });
    expect(serialToLocal(46357.354166666664)).toEqual({
      year: 2026,
      month: 12,
      day: 1,
      hour: 8,
      minute: 30,
      second: 0,
    });
    expect(serialToLocal(44895, true)).toMatchObject({ year: 2026, month: 12, day: 1 });
  });

  it('reads a date cell (UTC fields = wall clock) with the UTC getters, to the second', () => {
    const d = new Date(Date.UTC(2026, 11, 1, 8, 29, 59, 999));
    expect(wallClockOf(d)).toEqual({ year: 2026, month: 12, day: 1, hour: 8, minute: 30, second: 0 });
    expect(process.env.TZ).toBe('America/Los_Angeles');
  });

  it('shows cells as text', () => {
    expect(cellText(date(2026, 12, 1))).toBe('2026-12-01');
    expect(cellText(date(2026, 12, 1, 8, 30))).toBe('2026-12-01 08:30:00');
    expect(cellText(12.5)).toBe('12.5');
    expect(cellText(null)).toBe('');
  });
});
