import { describe, expect, it } from 'vitest';
import { releaseFormSchema, releaseReason } from '../../shared/contract/release-form.ts';
import { toFieldIssues } from '../../shared/records/fields.ts';

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
