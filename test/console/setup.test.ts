/** 首次设置: the PIN, who installs, the station and the platform in one step; before it, the booth records nothing. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../shared/contract/api.ts';
import { parseLocal } from '../../shared/records/time.ts';
import { openHarness, type Harness } from './helpers.ts';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const release = {
  plate: '粤B12345',
  parkingSerial: 'PS-SETUP-1',
  operateTime: parseLocal('2025-03-01 08:30:00', 'Asia/Shanghai')!,
  reason: '设备异常',
};

describe('before the first-start setup', () => {
  it('a shift cannot start and nothing is recorded; the session says no PIN is set', async () => {
    h = await openHarness({ setUp: false });
    expect((await h.ok<Session>('getSession')).managerPinSet).toBe(false);
    const shift = await h.refused('startShift', { operator: '张三' });
    expect(shift.code).toBe('not-set-up');
    expect(shift.message).toMatch(/首次设置/);
    expect((await h.refused('submitRelease', release)).code).toBe('not-set-up');
    expect(h.services.queue.status().counts.waiting).toBe(0);
  });
});

describe('completeSetup', () => {
  it('sets the PIN, the station and the platform in one step, unlocked as the named manager', async () => {
    h = await openHarness({ setUp: false });
    const s = await h.ok<Session>('completeSetup', {
      pin: '8642',
      name: '王工',
      stationId: 'B07',
      platform: 'sandbox',
    });
    expect(s).toMatchObject({ managerPinSet: true, manager: true, managerName: '王工' });
    expect(h.services.settings.get()).toMatchObject({ stationId: 'B07', platform: 'sandbox' });
    await h.ok('startShift', { operator: '张三' });
    const r = await h.ok<{ flowNo: string }>('submitRelease', release);
    expect(r.flowNo).toMatch(/^B07-F-/);
    expect(
      (await h.refused('completeSetup', { pin: '1111', name: '别人', stationId: 'X', platform: 'sandbox' })).code,
    ).toBe('conflict');
  });

  it('refuses a real platform without its credentials, or a bad station id, and saves nothing', async () => {
    h = await openHarness({ setUp: false });
    const noCredentials = await h.refused('completeSetup', {
      pin: '8642',
      name: '王工',
      stationId: 'B07',
      platform: 'production',
    });
    expect(noCredentials.issues?.map((i) => i.field).sort()).toEqual(['appSecret', 'parkUuid']);
    const badStation = await h.refused('completeSetup', {
      pin: '8642',
      name: '王工',
      stationId: 'B 07!',
      platform: 'sandbox',
    });
    expect(badStation.issues?.[0]?.field).toBe('stationId');
    expect(h.services.settings.get()).toMatchObject({ managerPinSet: false, stationId: 'ST01', platform: 'sandbox' });
    const done = await h.ok<Session>('completeSetup', {
      pin: '8642',
      name: '王工',
      stationId: 'B07',
      platform: 'integration',
      parkUuid: 'PARK-1',
      appSecret: 'vendor-secret-1',
      keepSecretInKeyFile: true,
    });
    expect(done.managerPinSet).toBe(true);
    expect(h.services.settings.get()).toMatchObject({ platform: 'integration', parkUuid: 'PARK-1', secretSet: true });
  });
});
