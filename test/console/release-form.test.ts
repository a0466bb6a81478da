import { describe, expect, it } from 'vitest';
import { releaseFormSchema, releaseReason } from '../../shared/contract/release-form.ts';
import { parseRecord } from '../../shared/platform/endpoints.ts';
import { toFieldIssues } from '../../shared/records/fields.ts';
import { releaseToRecord } from '../../electron/console/release.ts';

const now = Date.now();
const good = { plate: '粤b12345', parkingSerial: 'PS-1', operateTime: now, reason: '设备异常' };

function issues(input: unknown): Record<string, string> {
  const r = releaseFormSchema.safeParse(input);
  if (r.success) return {};
  return Object.fromEntries(toFieldIssues(r.error).map((i) => [i.field, i.message]));
}

describe('abnormal release form', () => {
  it('accepts a good form and normalises the plate', () => {
    const r = releaseFormSchema.parse({
      ...good,
      plateColor: '1',
      carType: '2',
      carDesc: ' 月卡 ',
      enterTime: now - 3600_000,
      leaveTime: null,
      remark: '',
    });
    expect(r.plate).toBe('粤B12345');
    expect(r.carDesc).toBe('月卡');
  });

  it('names every bad field at once, in Chinese', () => {
    const found = issues({
      plate: '粤B1',
      plateColor: '9',
      carType: 'x',
      parkingSerial: ' ',
      operateTime: now + 3600_000,
      enterTime: 5,
      reason: '',
      carDesc: 'x'.repeat(65),
    });
    expect(found).toEqual({
      plate: expect.stringContaining('长度'),
      plateColor: '车牌颜色须从列表中选择',
      carType: '车辆类型须从列表中选择',
      carDesc: '车辆描述不能超过 64 个字',
      parkingSerial: '请输入停车流水号',
      enterTime: '入场时间不能早于 2000 年',
      operateTime: '操作时间不能晚于现在',
      reason: '请选择或填写放行原因',
    });
  });

  it('checks the form as a whole', () => {
    expect(issues({ ...good, reason: undefined })).toEqual({ reason: '请选择或填写放行原因' });
    expect(issues({ ...good, enterTime: now - 1000, leaveTime: now - 5000 })).toEqual({
      leaveTime: '离场时间不能早于入场时间',
    });
    expect(issues({ ...good, operateTime: now + 3600_000 })).toEqual({ operateTime: '操作时间不能晚于现在' });
  });

  it('refuses fields that are not on the form', () => {
    expect(issues({ ...good, operator: '张三' })).toEqual({ operator: '不是此接口的字段' });
  });

  it('joins the listed reason and the free text', () => {
    expect(releaseReason({ reason: '设备异常', remark: '道闸卡住' })).toBe('设备异常: 道闸卡住');
    expect(releaseReason({ reason: undefined, remark: '道闸卡住' })).toBe('道闸卡住');
  });
});

// The booth form keeps the record's rules (same helpers): types, text, time window, plate.
describe('release form: a wrong type says so, in the field’s words', () => {
  it('a float or text operate time, an object plate, a number remark', () => {
    expect(issues({ ...good, operateTime: now + 0.5 })).toEqual({
      operateTime: '操作时间不是有效的时间 (须为整数毫秒)',
    });
    expect(issues({ ...good, operateTime: 'now' })).toEqual({ operateTime: '操作时间须为时间 (毫秒数), 收到文本' });
    expect(issues({ ...good, plate: {} })).toEqual({ plate: '车牌号码须为文字, 收到对象' });
    expect(issues({ ...good, remark: 5 })).toEqual({ remark: '补充说明须为文字, 收到数字 5' });
  });
  it('absent still asks for the field', () => {
    const { plate: _, operateTime: __, ...rest } = good;
    expect(issues(rest)).toEqual({ plate: '请输入车牌号码', operateTime: '请输入操作时间' });
  });
});

describe('release form: the shared text and time rules', () => {
  it.each([
    ['zero-width', '\u200B'],
    ['bidi override', '\u202E'],
    ['isolate', '\u2067'],
    ['BOM', '\uFEFF'],
    ['lone surrogate', '\uD83D'],
    ['C1 control', '\u009B'],
  ])('%s is refused in every text field and the plate', (_, c) => {
    const found = issues({
      ...good,
      plate: `粤B1234${c}5`,
      parkingSerial: `PS${c}1`,
      carDesc: `临${c}停`,
      reason: `设备${c}异常`,
      remark: `x${c}`,
    });
    expect(Object.keys(found).sort()).toEqual(['carDesc', 'parkingSerial', 'plate', 'reason', 'remark']);
    expect(found.parkingSerial).toMatch(/^停车流水号(不能含|含有残缺)/);
    expect(found.plate).toMatch(/^车牌号码(不能含|含有残缺)/);
  });

  it('times beyond a day ahead are refused on every time; the operate time keeps its 10 minutes', () => {
    const far = Date.UTC(9999, 0, 1);
    expect(issues({ ...good, enterTime: far - 1000, leaveTime: far, operateTime: far })).toEqual({
      enterTime: '入场时间不能晚于现在一天以上, 请检查年份和电脑时钟',
      leaveTime: '离场时间不能晚于现在一天以上, 请检查年份和电脑时钟',
      operateTime: '操作时间不能晚于现在一天以上, 请检查年份和电脑时钟',
    });
    expect(issues({ ...good, operateTime: now + 3600_000 })).toEqual({ operateTime: '操作时间不能晚于现在' });
    expect(issues({ ...good, enterTime: Date.UTC(1999, 11, 31) })).toEqual({ enterTime: '入场时间不能早于 2000 年' });
  });

  it('what the form takes, the record takes', () => {
    const form = releaseFormSchema.parse({
      ...good,
      plate: '无牌车',
      enterTime: now - 3600_000,
      leaveTime: now - 60_000,
      carDesc: ' 月卡 ',
    });
    const ids = { flowNo: 'F-1', operator: '张三' };
    const record = parseRecord('update', { flow_no: 'F-1', ...releaseToRecord(form, ids) });
    expect(record).toMatchObject({ plate: '无牌车', car_desc: '月卡', parking_serial: 'PS-1' });
  });
});
