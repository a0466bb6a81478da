/**
 * Issue 10, one renewal: the 固定车续费 form's method (a manager's), its defaults for a plate (the day after the last
 * renewal this console sent), the record rules on it, and the renewal reaching the platform.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../shared/contract/api.ts';
import type { RenewalDefaults, SubmitRenewalResult } from '../../shared/contract/vip.ts';
import { parseLocal } from '../../shared/records/time.ts';
import { HARNESS_PIN, type Harness, openHarness, until } from './helpers.ts';

const renewal = {
  plate: '粤B12345',
  plate_color: '1',
  charge_type: 'MON_A',
  vip_type: '1',
  quantity: 1,
  pay_type: '1',
  pay_value: 1999,
  pay_time: parseLocal('2026-11-20 09:30', 'Asia/Shanghai')!,
  start_day: '2026-12-01',
  end_day: '2026-12-31',
};

let h: Harness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

const unlock = () => h.ok<Session>('unlockManager', { pin: HARNESS_PIN, name: '王经理' });

describe('one renewal from the form', () => {
  it('needs a manager', async () => {
    expect((await h.refused('submitRenewal', renewal)).code).toBe('manager-required');
    expect((await h.refused('renewalDefaults', {})).code).toBe('manager-required');
  });

  it('is queued with a minted pay_partner, the manager as operator, and reaches the platform as sent', async () => {
    await unlock();
    const r = await h.ok<SubmitRenewalResult>('submitRenewal', renewal);
    expect(r.existing).toBe(false);
    expect(r.payPartner).toMatch(/^ST01-/);
    const stored = h.services.queue.get(r.id)!.record as { row: Record<string, unknown>[] };
    expect(stored.row[0]).toMatchObject({
      plate: '粤B12345',
      pay_partner: r.payPartner,
      pay_value: 1999,
      operator: '王经理',
      renewal_start_time: '2026-11-30T16:00:00Z',
      renewal_end_time: '2026-12-31T15:59:59Z',
      pay_time: String(renewal.pay_time),
    });
    const vip = await until(() => h.services.sandbox!.state().accepted.vip[0]);
    expect(vip.pay_partner).toBe(r.payPartner);
    expect(vip.row).toMatchObject({ plate: '粤B12345', pay_value: 1999 });
  });

  it('the shift operator is the operator when a guard is on shift', async () => {
    await unlock();
    await h.ok('startShift', { operator: '李四' });
    const r = await h.ok<SubmitRenewalResult>('submitRenewal', renewal);
    expect((h.services.queue.get(r.id)!.record as { row: { operator: string }[] }).row[0]!.operator).toBe('李四');
  });

  it('the same renewal saved twice is stored once', async () => {
    await unlock();
    const a = await h.ok<SubmitRenewalResult>('submitRenewal', renewal);
    const b = await h.ok<SubmitRenewalResult>('submitRenewal', renewal);
    expect(b).toMatchObject({ existing: true, payPartner: a.payPartner });
  });

  it('the same renewal saved again by the next shift is still the same renewal', async () => {
    await unlock();
    const a = await h.ok<SubmitRenewalResult>('submitRenewal', renewal);
    await h.ok('startShift', { operator: '李四' });
    const b = await h.ok<SubmitRenewalResult>('submitRenewal', renewal);
    expect(b).toMatchObject({ existing: true, payPartner: a.payPartner });
  });

  it('every problem is named by the form field', async () => {
    await unlock();
    const e = await h.refused('submitRenewal', {
      ...renewal,
      plate: '12345',
      end_day: '2026-11-01',
      vip_type: '9',
      pay_value: -5,
    });
    expect(e.code).toBe('invalid');
    expect(e.issues!.map((i) => i.field).sort()).toEqual(['end_day', 'pay_value', 'plate', 'vip_type']);
    expect(h.services.queue.list({}).length).toBe(0);
  });

  it('a quantity that does not fit the dates is refused', async () => {
    await unlock();
    const e = await h.refused('submitRenewal', { ...renewal, vip_type: '5' });
    expect(e.issues).toEqual([{ field: 'quantity', message: expect.stringContaining('与日期不符') }]);
  });

  it('wrong types say what came', async () => {
    await unlock();
    const e = await h.refused('submitRenewal', { ...renewal, quantity: '1', pay_value: 19.99 });
    expect(e.issues!.map((i) => i.field).sort()).toEqual(['pay_value', 'quantity']);
  });
});

describe('the form defaults for a plate', () => {
  it('start: the day after the last renewal end this console sent; charge types remembered', async () => {
    await unlock();
    expect(await h.ok<RenewalDefaults>('renewalDefaults', { plate: '粤B12345' })).toEqual({
      startDay: null,
      last: null,
      chargeTypes: [],
    });
    await h.ok('submitRenewal', renewal);
    await h.ok('submitRenewal', {
      ...renewal,
      charge_type: 'MON_B',
      start_day: '2027-01-01',
      end_day: '2027-03-31',
      quantity: 3,
    });
    await h.ok('submitRenewal', {
      ...renewal,
      plate: '粤C00001',
      charge_type: 'YEAR',
      start_day: '2026-12-05',
      end_day: '2027-01-04',
    });
    const d = await h.ok<RenewalDefaults>('renewalDefaults', { plate: '粤b12345' });
    expect(d.startDay).toBe('2027-04-01');
    expect(d.last).toMatchObject({ vipType: '1', chargeType: 'MON_B', endDay: '2027-03-31' });
    expect(d.chargeTypes).toEqual(['YEAR', 'MON_B', 'MON_A']);
  });

  it('the last end is the car park day, whatever zone the PC is in', async () => {
    await unlock();
    h.services.settings.update({ timeZone: 'Asia/Urumqi' });
    await h.ok('submitRenewal', { ...renewal, start_day: '2026-12-01', end_day: '2026-12-31' });
    expect((await h.ok<RenewalDefaults>('renewalDefaults', { plate: '粤B12345' })).startDay).toBe('2027-01-01');
  });
});
