/**
 * Where the app secret is kept, said and confirmed: PublicSettings.secretStorage tells `system` (safeStorage) from
 * `keyfile`; with the key file, the contract refuses a new secret (updateSettings, completeSetup) unless the manager
 * confirmed it (keepSecretInKeyFile), and saves nothing of that change. Also the startAtLogin setting.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsole } from '../../electron/console/handlers.ts';
import { openConsoleServices } from '../../electron/services/open.ts';
import { aesGcmCipher } from '../../electron/settings/secret-cipher.ts';
import type { ApiResult, ConsoleEvent, Session } from '../../shared/contract/api.ts';
import type { PublicSettings } from '../../shared/contract/settings.ts';
import { HARNESS_PIN, openHarness, type Harness } from '../console/helpers.ts';

const SECRET = 'Vendor-Secret-For-Keyfile-31';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function managerHarness(): Promise<Harness> {
  const harness = await openHarness();
  await harness.ok('unlockManager', { pin: HARNESS_PIN, name: '李经理' });
  return harness;
}

describe('a PC without system encryption (the key file)', () => {
  it('says so in the settings', async () => {
    h = await openHarness();
    expect((await h.ok<PublicSettings>('getSettings')).secretStorage).toBe('keyfile');
  });

  it('refuses a new secret unconfirmed, naming the field and why, and saves nothing of the change', async () => {
    h = await managerHarness();
    const refused = await h.refused('updateSettings', { appSecret: SECRET, ratePerSecond: 5 });
    expect(refused.code).toBe('conflict');
    expect(refused.message).toContain('appSecret');
    expect(refused.message).toContain('本机系统不提供密钥加密');
    expect(refused.message).toContain('密钥文件');
    expect(refused.issues?.map((i) => i.field)).toEqual(['appSecret']);
    expect(h.services.settings.get()).toMatchObject({ secretSet: false, ratePerSecond: 10 });
    expect((await h.refused('updateSettings', { appSecret: SECRET, keepSecretInKeyFile: false })).code).toBe(
      'conflict',
    );
    // Never echoed, not even in the refusal.
    expect(JSON.stringify(h.replies)).not.toContain(SECRET);

    const saved = await h.ok<PublicSettings>('updateSettings', {
      appSecret: SECRET,
      ratePerSecond: 5,
      keepSecretInKeyFile: true,
    });
    expect(saved).toMatchObject({ secretSet: true, ratePerSecond: 5, secretStorage: 'keyfile' });
    expect(saved).not.toHaveProperty('keepSecretInKeyFile');
    // The confirmation is an answer to a question, not a setting: nothing of it is stored.
    const file = readFileSync(join(h.services.dataDir, 'settings.json'), 'utf8');
    expect(file).not.toContain('keepSecretInKeyFile');
    expect(file).not.toContain(SECRET);
    // A change without a new secret needs no confirmation.
    expect((await h.ok<PublicSettings>('updateSettings', { ratePerSecond: 6 })).ratePerSecond).toBe(6);
  });

  it('refuses it at the first-start setup too, before the PIN is set', async () => {
    h = await openHarness({ setUp: false });
    const setup = { pin: '8642', name: '王工', stationId: 'B07', platform: 'integration', parkUuid: 'P-1' };
    const refused = await h.refused('completeSetup', { ...setup, appSecret: SECRET });
    expect(refused.code).toBe('conflict');
    expect(refused.issues?.[0]?.field).toBe('appSecret');
    expect(h.services.settings.get()).toMatchObject({ managerPinSet: false, platform: 'sandbox', secretSet: false });
    const done = await h.ok<Session>('completeSetup', { ...setup, appSecret: SECRET, keepSecretInKeyFile: true });
    expect(done.managerPinSet).toBe(true);
    expect(h.services.settings.get()).toMatchObject({ platform: 'integration', secretSet: true });
  });

  it('still lets the services keep a secret directly (the CLI, tests)', async () => {
    h = await openHarness();
    expect(h.services.settings.update({ appSecret: SECRET }).secretSet).toBe(true);
  });
});

describe('a PC whose system encrypts the secret (safeStorage)', () => {
  it('says so, and takes a new secret without asking', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'booth-system-cipher-'));
    const services = await openConsoleServices({
      dataDir,
      cipher: aesGcmCipher(randomBytes(32), 'safeStorage'),
      embeddedSandbox: false,
      startWorker: false,
    });
    services.settings.update({ managerPin: HARNESS_PIN });
    const c = createConsole(services);
    try {
      const call = async <T>(method: string, input?: unknown) => {
        const r = (await c.call(method, input)) as ApiResult<T>;
        if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
        return r.value;
      };
      expect((await call<PublicSettings>('getSettings')).secretStorage).toBe('system');
      await call('unlockManager', { pin: HARNESS_PIN });
      const s = await call<PublicSettings>('updateSettings', { appSecret: SECRET });
      expect(s).toMatchObject({ secretSet: true, secretStorage: 'system' });
    } finally {
      c.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('开机自动启动 (startAtLogin)', () => {
  it('is off by default, a manager setting, a yes or no, and kept', async () => {
    h = await openHarness();
    expect((await h.ok<PublicSettings>('getSettings')).startAtLogin).toBe(false);
    expect((await h.refused('updateSettings', { startAtLogin: true })).code).toBe('manager-required');
    await h.ok('unlockManager', { pin: HARNESS_PIN });
    const bad = await h.refused('updateSettings', { startAtLogin: 'yes' });
    expect(bad.issues?.map((i) => i.field)).toEqual(['startAtLogin']);
    const on = await h.ok<PublicSettings>('updateSettings', { startAtLogin: true });
    expect(on.startAtLogin).toBe(true);
    const events = h.events.filter((e): e is Extract<ConsoleEvent, { type: 'settings' }> => e.type === 'settings');
    expect(events.at(-1)?.settings.startAtLogin).toBe(true);
    expect(JSON.parse(readFileSync(join(h.services.dataDir, 'settings.json'), 'utf8')).settings.startAtLogin).toBe(
      true,
    );
  });
});
