import { describe, expect, it } from 'vitest';
import {
  expectedEndDay,
  nextDay,
  quantityFitProblem,
  type RenewalEntry,
  renewalProblems,
  renewalToRow,
} from '../../shared/records/renewal.ts';

const ZONE = 'Asia/Shanghai';
const entry = (over: Partial<RenewalEntry> = {}): RenewalEntry => ({
  plate: '粤B12345',
  plate_color: '1',
  charge_type: 'MON_A',
  vip_type: '1',
  quantity: 1,
  pay_type: '1',
  start_day: '2026-12-01',
  end_day: '2026-12-31',
  pay_value: 12000,
  ...over,
});

describe('a renewal as entered becomes the platform row', () => {
  it('local days are the car park day from 00:00:00 to 23:59:59, sent in UTC', () => {
    const row = renewalToRow(entry(), ZONE);
    expect(row.renewal_start_time).toBe('2026-11-30T16:00:00Z');
    expect(row.renewal_end_time).toBe('2026-12-31T15:59:59Z');
    expect(row.pay_value).toBe(12000);
    expect(row).not.toHaveProperty('pay_partner');
  });

  it('the zone is the setting, not the PC (tests run in America/Los_Angeles)', () => {
    expect(renewalToRow(entry(), 'UTC').renewal_start_time).toBe('2026-12-01T00:00:00Z');
  });

  it('a good entry has no problems', () => {
    expect(renewalProblems(entry(), ZONE)).toEqual([]);
  });

  it('names the entry fields, not the platform fields', () => {
    const issues = renewalProblems(entry({ start_day: '2026-12-10', end_day: '2026-12-01', plate: '' }), ZONE);
    expect(issues.map((i) => i.field).sort()).toEqual(['end_day', 'plate']);
  });

  it('a day that is not a day is refused before anything else', () => {
    expect(renewalProblems(entry({ start_day: '2026-02-30' }), ZONE)).toEqual([
      { field: 'start_day', message: expect.stringContaining('不是有效日期') },
    ]);
  });
});

describe('a quantity must fit the dates for the type', () => {
  it.each([
    ['1', 1, '2026-12-01', '2026-12-31'],
    ['1', 3, '2026-12-01', '2027-02-28'],
    ['1', 1, '2027-01-31', '2027-02-28'], // a month from 31 January: parks count month ends differently
    ['6', 1, '2026-10-01', '2026-12-31'],
    ['7', 2, '2026-01-01', '2026-12-31'],
    ['5', 1, '2026-12-01', '2027-11-30'],
    ['4', 30, '2026-12-01', '2026-12-30'],
    ['2', 5, '2026-12-01', '2030-01-01'], // 储值: no date rule
  ])('type %s × %i from %s to %s fits', (type, q, start, end) => {
    expect(quantityFitProblem({ vip_type: type, quantity: q, start_day: start, end_day: end })).toBeNull();
    expect(renewalProblems(entry({ vip_type: type, quantity: q, start_day: start, end_day: end }), ZONE)).toEqual([]);
  });

  it.each([
    ['1', 1, '2026-12-01', '2027-11-30'],
    ['5', 1, '2026-12-01', '2026-12-31'],
    ['1', 2, '2026-12-01', '2026-12-31'],
    ['4', 10, '2026-12-01', '2026-12-30'],
    ['1', 0, '2026-12-01', '2026-12-31'],
  ])('type %s × %i from %s to %s does not', (type, q, start, end) => {
    const issues = renewalProblems(entry({ vip_type: type, quantity: q, start_day: start, end_day: end }), ZONE);
    expect(issues).toEqual([{ field: 'quantity', message: expect.stringMatching(/续费数量/) }]);
  });

  it('储天 may give its days as 面额', () => {
    expect(
      quantityFitProblem({ vip_type: '4', quantity: 1, value: '30', start_day: '2026-12-01', end_day: '2026-12-30' }),
    ).toBeNull();
  });

  it('the expected end and the next start', () => {
    expect(expectedEndDay('1', 1, '2026-12-01')).toBe('2026-12-31');
    expect(expectedEndDay('6', 1, '2026-12-01')).toBe('2027-02-28');
    expect(expectedEndDay('5', 1, '2028-02-29')).toBe('2029-02-27');
    expect(expectedEndDay('2', 1, '2026-12-01')).toBeNull();
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
  });
});
