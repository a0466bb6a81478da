import { describe, expect, it } from 'vitest';
import { emptyDraft, NAV_ORDER, offeredFor, reasonForDigit, toInput } from '../../renderer/screens/release-draft.ts';
import { formatLocal } from '../../shared/records/time.ts';
import { useDraftStore } from '../../renderer/stores/draft.ts';

describe('release form helpers', () => {
  it('Enter goes from the serial to the reason', () => {
    expect(NAV_ORDER[NAV_ORDER.indexOf('parkingSerial') + 1]).toBe('reason');
    expect(NAV_ORDER.at(-1)).toBe('remark');
  });

  it('offers serials only for the plate they were looked up for (a late answer for an older plate is dropped)', () => {
    const offer = { plate: '粤B12345', list: ['PS-1'] };
    expect(offeredFor(offer, '粤B12345', true)).toEqual(['PS-1']);
    expect(offeredFor(offer, '粤', false)).toEqual([]); // the empty box after a save
    expect(offeredFor(offer, '粤B54321', true)).toEqual([]); // the next car
    expect(offeredFor(null, '粤B12345', true)).toEqual([]);
  });

  it('number keys 1–9 pick a reason', () => {
    const reasons = ['设备异常', '识别失败', '无牌车'];
    expect(reasonForDigit('1', reasons)).toBe('设备异常');
    expect(reasonForDigit('3', reasons)).toBe('无牌车');
    expect(reasonForDigit('4', reasons)).toBeNull();
    expect(reasonForDigit('0', reasons)).toBeNull();
    expect(reasonForDigit('a', reasons)).toBeNull();
  });
});

describe('draft store', () => {
  it('keeps the draft outside the screen, clears hints field by field and empties after a save', () => {
    const s = useDraftStore.getState();
    s.update({ plateText: 'BD12345' });
    expect(useDraftStore.getState().draft.plateColor).toBe('5'); // new-energy follows the plate
    s.setErrors({ plate: 'x', parkingSerial: 'y' }, '记录未保存');
    s.update({ parkingSerial: 'PS-1' }, ['parkingSerial']);
    expect(useDraftStore.getState().errors).toEqual({ plate: 'x' });
    s.setLastNav('parkingSerial');
    // A screen switch unmounts the form; the store still holds everything.
    expect(useDraftStore.getState().draft).toMatchObject({ plateText: 'BD12345', parkingSerial: 'PS-1' });
    expect(useDraftStore.getState().lastNav).toBe('parkingSerial');
    s.update({ carType: '2', province: '京' });
    s.clear('2026-01-01 08:00:00');
    const after = useDraftStore.getState();
    expect(after.draft).toMatchObject({ plateText: '', parkingSerial: '', province: '京', carType: '2' });
    expect(after.errors).toEqual({});
    expect(after.formError).toBeNull();
    expect(after.lastNav).toBe('plate');
  });
});

describe('a save retried after no answer (the backend restarting)', () => {
  it('sends the same operate time once the box is frozen to what it showed, so it is the same record', () => {
    const zone = 'Asia/Shanghai';
    const draft = {
      ...emptyDraft(),
      plateText: 'B12345',
      parkingSerial: 'PS-RETRY-1',
      reason: '设备异常',
    };
    const now = Date.UTC(2026, 10, 26, 1, 2, 3, 456);
    const first = toInput(draft, zone, now);
    if (!('input' in first)) throw new Error(JSON.stringify(first.errors));
    expect(first.input.operateTime).toBe(Date.UTC(2026, 10, 26, 1, 2, 3));
    // What ReleaseScreen does after an `unavailable` answer: the box stops following the clock at what it sent.
    const frozen = { ...draft, operateFollowsNow: false, operateText: formatLocal(first.input.operateTime, zone) };
    const again = toInput(frozen, zone, now + 65_000);
    if (!('input' in again)) throw new Error(JSON.stringify(again.errors));
    expect(again.input).toEqual(first.input);
  });
});
