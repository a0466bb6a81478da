/** A re-push opened from a stored exit sends back what it was, unless a person changed it. */
import { describe, expect, it } from 'vitest';
import { type ExitDraft, toExitForm } from '../../renderer/features/exit/draft.ts';
import { draftFromRecord } from '../../renderer/features/exit/from-record.ts';

const ZONE = 'Asia/Shanghai';

/** The form the draft makes (a failing check shows its errors). */
function formOf(d: ExitDraft) {
  const out = toExitForm(d, ZONE, Date.now(), 7);
  if (!('form' in out)) throw new Error(JSON.stringify(out.errors));
  return out.form;
}
const stored = {
  parking_serial: 'PS-1',
  plate: '粤B12345',
  plate_color: '1',
  car_type: '1',
  car_desc: '临时车',
  charge_type: '标准',
  enter_time: '1764123456789',
  leave_time: '1764131234567',
  total_value: '500',
  cash_value: '500',
  payment_list: [{ pay_type: '1', value: 500, pay_time: '1764131230123', parking_order: 'PO-1', operator: '张三' }],
};

describe('a stored exit back into the form', () => {
  it('keeps the milliseconds of times left as they were (the platform would count a new stay)', () => {
    const d = draftFromRecord(stored, ZONE);
    const form = formOf(d);
    expect(form).toMatchObject({ enter_time: 1764123456789, leave_time: 1764131234567, resubmitOf: 7 });
    expect(form.payments?.[0]).toMatchObject({ pay_time: 1764131230123, value: 500, parking_order: 'PO-1' });
  });

  it('a time the person retyped is the time typed', () => {
    const d = draftFromRecord(stored, ZONE);
    const form = formOf({ ...d, leaveText: '2025-11-26 12:30:00' });
    expect(form.leave_time).toBe(Date.UTC(2025, 10, 26, 4, 30, 0));
    expect(form.enter_time).toBe(1764123456789);
  });
});
