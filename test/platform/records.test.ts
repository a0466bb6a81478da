import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../shared/platform/endpoints.ts';
import { RecordError } from '../../shared/records/fields.ts';
import { formatFen, yuanToFen } from '../../shared/records/money.ts';
import {
  formatLocal,
  formatUtc,
  localDayEndUtc,
  localDayStartUtc,
  parseLocal,
  parseUtc,
} from '../../shared/records/time.ts';

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (e instanceof RecordError) return Object.fromEntries(e.issues.map((i) => [i.field, i.message]));
    throw e;
  }
  throw new Error('expected a RecordError');
}

const goodUpdate = {
  flow_no: 'ST01-20221001-0001',
  parking_serial: 'PS-1',
  plate: '粤B12345',
  plate_color: 1,
  car_type: '1',
  operate_time: '2022-09-01T00:00:00Z',
  operator: '张三',
  reason: '设备异常',
};

describe('update record', () => {
  it('accepts a good record and normalises values to text', () => {
    const r = parseRecord('update', { ...goodUpdate, car_desc: '', enter_time: null });
    expect(r.plate_color).toBe('1');
    expect('car_desc' in r && r.car_desc !== undefined).toBe(false);
    expect(r.enter_time).toBeUndefined();
  });

  it('names every bad field at once, in Chinese', () => {
    const issues = issuesOf(() =>
      parseRecord('update', {
        ...goodUpdate,
        plate: ' ',
        operate_time: '2022-09-01 08:00:00',
        plate_color: '9',
        operater: 'x',
        reason: undefined,
      }),
    );
    expect(Object.keys(issues).sort()).toEqual(['operate_time', 'operater', 'plate', 'plate_color', 'reason']);
    expect(issues.plate).toBe('必填');
    expect(issues.reason).toBe('必填');
    expect(issues.operate_time).toContain('UTC');
    expect(issues.plate_color).toContain('1(蓝色)');
    expect(issues.operater).toBe('不是此接口的字段');
  });

  it('takes UTC times with milliseconds, refuses impossible dates', () => {
    expect(() => parseRecord('update', { ...goodUpdate, operate_time: '2021-09-02T09:36:46.020Z' })).not.toThrow();
    expect(
      issuesOf(() => parseRecord('update', { ...goodUpdate, operate_time: '2022-02-30T00:00:00Z' })),
    ).toHaveProperty('operate_time');
  });
});

describe('leave record', () => {
  const good = {
    parking_serial: 'PS-9',
    plate_color: '1',
    enter_time: 1624874732253,
    leave_time: '1624937505093',
    car_type: '1',
    car_desc: '临时车',
    charge_type: '1',
    total_value: 1000,
    payment_list: [{ pay_type: '1', value: '500', free_value: 0, parking_order: 'PO1', change_value: 0 }],
  };
  it('accepts fen as integers and epoch ms as text', () => {
    const r = parseRecord('leave', good);
    expect(r.enter_time).toBe('1624874732253');
    expect(r.total_value).toBe('1000');
    expect(r.payment_list?.[0]?.value).toBe(500);
  });
  it('refuses decimal money, bad ms, and names nested payment fields', () => {
    const issues = issuesOf(() =>
      parseRecord('leave', {
        ...good,
        total_value: '10.5',
        enter_time: '2022-01-01',
        payment_list: [{ value: 1.5, pay_type: 9 }],
      }),
    );
    expect(Object.keys(issues).sort()).toEqual([
      'enter_time',
      'payment_list[0].pay_type',
      'payment_list[0].value',
      'total_value',
    ]);
  });
  it('requires the fields the vendor page marks Y', () => {
    const issues = issuesOf(() => parseRecord('leave', { parking_serial: 'x' }));
    expect(Object.keys(issues).sort()).toEqual([
      'car_desc',
      'car_type',
      'charge_type',
      'enter_time',
      'leave_time',
      'plate_color',
    ]);
  });
  it('refuses an exit before its entry', () => {
    expect(issuesOf(() => parseRecord('leave', { ...good, leave_time: '1624874732000' }))).toHaveProperty('leave_time');
  });
});

describe('vip-recharge batch', () => {
  const row = {
    plate: '粤X33333',
    plate_color: '1',
    charge_type: '101',
    vip_type: '1',
    quantity: '1',
    pay_partner: 'PP-1',
    pay_type: '1',
    pay_value: '10000',
  };
  it('types numbers as the page says and keeps pay_partner as text', () => {
    const b = parseRecord('vip-recharge', { complete: '1', row: [row] });
    expect(b.complete).toBe(1);
    expect(b.row[0]).toMatchObject({ plate_color: 1, quantity: 1, pay_type: 1, pay_value: 10000, pay_partner: 'PP-1' });
  });
  it('names the row and field of each problem, and duplicate keys', () => {
    const issues = issuesOf(() =>
      parseRecord('vip-recharge', {
        row: [row, { ...row, vip_type: '9' }, { ...row, pay_partner: 'PP-1', pay_value: 1.5 }],
      }),
    );
    expect(Object.keys(issues).sort()).toEqual([
      'row[1].pay_partner',
      'row[1].vip_type',
      'row[2].pay_partner',
      'row[2].pay_value',
    ]);
  });
  it('refuses an empty batch', () => {
    expect(issuesOf(() => parseRecord('vip-recharge', { row: [] }))).toHaveProperty('row');
  });
});

describe('times in the car park zone, never the PC zone', () => {
  it('local 2022-09-01 08:00:00 in Shanghai is 2022-09-01T00:00:00Z', () => {
    const t = parseLocal('2022-09-01 08:00:00', 'Asia/Shanghai');
    expect(formatUtc(t!)).toBe('2022-09-01T00:00:00Z');
    expect(formatLocal(parseUtc('2022-09-01T00:00:00Z')!, 'Asia/Shanghai')).toBe('2022-09-01 08:00:00');
  });
  it('renewal days become the UTC instants of local day start and end', () => {
    expect(localDayStartUtc('2022-10-01', 'Asia/Shanghai')).toBe('2022-09-30T16:00:00Z');
    expect(localDayEndUtc('2022-10-31', 'Asia/Shanghai')).toBe('2022-10-31T15:59:59Z');
    expect(localDayStartUtc('2022-07-01', 'Europe/Berlin')).toBe('2022-06-30T22:00:00Z');
  });
  it('refuses dates that do not exist', () => {
    expect(parseLocal('2022-02-30', 'Asia/Shanghai')).toBeNull();
    expect(parseUtc('2022-13-01T00:00:00Z')).toBeNull();
  });
});

describe('money', () => {
  it('converts yuan to fen exactly', () => {
    expect(yuanToFen('12.5')).toBe(1250);
    expect(yuanToFen('0.07')).toBe(7);
    expect(yuanToFen('19.99')).toBe(1999);
    expect(yuanToFen('1.234')).toBeNull();
    expect(yuanToFen('-1')).toBeNull();
    expect(formatFen(1999)).toBe('19.99');
  });
});
