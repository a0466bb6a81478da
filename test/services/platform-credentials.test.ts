/**
 * Issue 9 ("The manager"): each platform choice keeps its own credentials. Switching back to 内置沙箱 uses the
 * sandbox's own park and secret (the vendor's secret is never sent there), a stored secret can be removed, and the
 * single park/secret of an older settings file belongs to the platform it had selected.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_DEFAULT_PARK, SANDBOX_DEFAULT_SECRET } from '../../electron/sandbox/server.ts';
import { openConsoleServices } from '../../electron/services/open.ts';
import { keyFileCipher } from '../../electron/settings/secret-cipher.ts';
import { updateRecord } from '../fixtures/records.ts';
import { tempDir } from '../support/sandbox.ts';

const VENDOR_SECRET = 'Vendor-Integration-Secret-9911';
const VENDOR_PARK = 'VENDOR-PARK-0001';

describe('each platform keeps its own credentials', () => {
  it('switching back to the sandbox uses its own park and secret and delivers there, not 401', async () => {
    const dir = tempDir('creds');
    const s = await openConsoleServices({ dataDir: dir, startWorker: false });
    try {
      s.settings.update({ platform: 'integration', parkUuid: VENDOR_PARK, appId: 'APP1', appSecret: VENDOR_SECRET });
      expect(s.settings.target().target).toMatchObject({ parkUuid: VENDOR_PARK, appSecret: VENDOR_SECRET });

      const back = s.settings.update({ platform: 'sandbox' });
      expect(back).toMatchObject({ platform: 'sandbox', parkUuid: '', appId: '', secretSet: false });
      expect(back.platforms.integration).toEqual({
        parkUuid: VENDOR_PARK,
        appId: 'APP1',
        apiType: '',
        secretSet: true,
      });
      expect(back.platforms.sandbox.secretSet).toBe(false);
      expect(s.settings.target().target).toMatchObject({
        baseUrl: s.sandbox!.url,
        parkUuid: SANDBOX_DEFAULT_PARK,
        appSecret: SANDBOX_DEFAULT_SECRET,
      });

      s.queue.start();
      const { id } = s.queue.enqueue('update', updateRecord());
      await s.queue.idle();
      expect(s.queue.get(id)!.state).toBe('accepted');
      expect(s.queue.status().paused).toBeNull();
      const sent = s.queue.queryLog({}).rows;
      expect(sent.map((r) => r.outcome)).toEqual(['accepted']);
      expect(JSON.stringify(sent)).not.toContain(VENDOR_PARK);

      // And forth again: the vendor's credentials come back as they were.
      const again = s.settings.update({ platform: 'integration' });
      expect(again).toMatchObject({ parkUuid: VENDOR_PARK, appId: 'APP1', secretSet: true });
      expect(s.settings.target().target).toMatchObject({ parkUuid: VENDOR_PARK, appSecret: VENDOR_SECRET });
      expect(again.platforms.sandbox).toEqual({ parkUuid: '', appId: '', apiType: '', secretSet: false });
    } finally {
      await s.close();
    }
    // Kept encrypted at rest, on the side as in force.
    for (const f of readdirSync(dir))
      expect(readFileSync(join(dir, f)).includes(Buffer.from(VENDOR_SECRET)), f).toBe(false);
  });

  it('a change names the credentials of the platform it selects, and each survives a restart', async () => {
    const dir = tempDir('creds');
    const s = await openConsoleServices({ dataDir: dir, startWorker: false });
    s.settings.update({ platform: 'production', parkUuid: 'PROD-PARK', appSecret: 'prod-secret' });
    s.settings.update({ platform: 'custom', customBaseUrl: 'https://example.test', parkUuid: 'CUSTOM-PARK' });
    s.settings.update({ appSecret: 'custom-secret' });
    await s.close();
    const r = await openConsoleServices({ dataDir: dir, startWorker: false });
    try {
      expect(r.settings.get().platforms).toMatchObject({
        production: { parkUuid: 'PROD-PARK', secretSet: true },
        custom: { parkUuid: 'CUSTOM-PARK', secretSet: true },
        integration: { parkUuid: '', secretSet: false },
      });
      expect(r.settings.target().target).toMatchObject({ parkUuid: 'CUSTOM-PARK', appSecret: 'custom-secret' });
      r.settings.update({ platform: 'production' });
      expect(r.settings.target().target).toMatchObject({ parkUuid: 'PROD-PARK', appSecret: 'prod-secret' });
    } finally {
      await r.close();
    }
  });

  it('a stored secret can be removed, of the platform in force or of another', async () => {
    const s = await openConsoleServices({ dataDir: tempDir('creds'), startWorker: false });
    try {
      // A manager once typed the vendor's secret while on the sandbox: the sandbox then refuses everything.
      s.settings.update({ appSecret: VENDOR_SECRET });
      s.settings.update({ platform: 'integration', parkUuid: VENDOR_PARK, appSecret: VENDOR_SECRET });
      s.settings.update({ platform: 'sandbox' });
      expect(s.settings.target().target?.appSecret).toBe(VENDOR_SECRET);
      const changes: string[][] = [];
      s.settings.onChange((k) => changes.push(k));

      expect(s.settings.clearSecret()).toBe(true);
      expect(changes).toEqual([['appSecret']]);
      expect(s.settings.get()).toMatchObject({ secretSet: false, platforms: { sandbox: { secretSet: false } } });
      expect(s.settings.target().target?.appSecret).toBe(SANDBOX_DEFAULT_SECRET);
      expect(s.settings.clearSecret()).toBe(false);

      expect(s.settings.clearSecret('integration')).toBe(true);
      expect(s.settings.get().platforms.integration).toMatchObject({ parkUuid: VENDOR_PARK, secretSet: false });
      s.settings.update({ platform: 'integration' });
      expect(s.settings.target()).toMatchObject({ target: null });
      expect(s.settings.target().problem).toContain('密钥');
    } finally {
      await s.close();
    }
  });
});

describe('a settings file from before per-platform credentials', () => {
  it('keeps its one park and secret for the platform it selected, and not for the sandbox', async () => {
    const dir = tempDir('creds');
    const stored = keyFileCipher(dir).encrypt(VENDOR_SECRET);
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({
        settings: { platform: 'integration', parkUuid: VENDOR_PARK, apiType: 'T1' },
        secrets: { appSecret: stored },
      }),
    );
    const s = await openConsoleServices({ dataDir: dir, startWorker: false });
    try {
      expect(s.settings.get().platforms.integration).toEqual({
        parkUuid: VENDOR_PARK,
        appId: '',
        apiType: 'T1',
        secretSet: true,
      });
      expect(s.settings.target().target).toMatchObject({ parkUuid: VENDOR_PARK, appSecret: VENDOR_SECRET });
      s.settings.update({ platform: 'sandbox' });
      expect(s.settings.target().target).toMatchObject({
        parkUuid: SANDBOX_DEFAULT_PARK,
        appSecret: SANDBOX_DEFAULT_SECRET,
      });
    } finally {
      await s.close();
    }
  });
});
