import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openConsoleServices } from '../../electron/services/open.ts';
import { SettingsError } from '../../electron/settings/settings-service.ts';
import { SANDBOX_DEFAULT_PARK } from '../../electron/sandbox/server.ts';
import { updateRecord } from '../fixtures/records.ts';
import { tempDir } from '../support/sandbox.ts';

const SECRET = 'Very-Secret-App-Key-0042';

describe('console services and settings', () => {
  it('start on the embedded sandbox and deliver there by default', async () => {
    const s = await openConsoleServices({ dataDir: tempDir('svc') });
    try {
      expect(s.settings.isSandbox()).toBe(true);
      expect(s.settings.baseUrl()).toBe(s.sandbox!.url);
      const { flow_no: _given, ...minted } = updateRecord();
      s.queue.enqueue('update', minted);
      await s.queue.idle();
      expect(s.sandbox!.state().accepted.update[0]!.park_uuid).toBe(SANDBOX_DEFAULT_PARK);
      expect(s.queue.get(1)!.key).toMatch(/^ST01-F-\d{8}-\d{9}-[0-9A-Z]{8}$/);
    } finally {
      await s.close();
    }
  });

  it('keep the secret write-only and encrypted at rest, the PIN hashed; neither is in any file or log', async () => {
    const dir = tempDir('svc');
    const s = await openConsoleServices({ dataDir: dir });
    try {
      const pub = s.settings.update({ appSecret: SECRET, managerPin: '2468' });
      expect(pub).toMatchObject({ secretSet: true, managerPinSet: true });
      expect(JSON.stringify(pub)).not.toContain(SECRET);
      expect(s.settings.verifyPin('2468')).toBe(true);
      expect(s.settings.verifyPin('1357')).toBe(false);
      // On the sandbox a manager-entered secret is used: the sandbox refuses it, the queue pauses.
      s.queue.enqueue('update', updateRecord());
      await s.queue.idle();
      expect(s.queue.status().paused?.kind).toBe('auth');
    } finally {
      await s.close();
    }
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, f));
      expect(bytes.includes(Buffer.from(SECRET)), f).toBe(false);
      expect(bytes.includes(Buffer.from('2468')), f).toBe(false);
    }
    const reopened = await openConsoleServices({ dataDir: dir, startWorker: false });
    expect(reopened.settings.get().secretSet).toBe(true);
    expect(reopened.settings.target().target?.appSecret).toBe(SECRET);
    await reopened.close();
  });

  it('refuse bad settings naming each field, and save nothing of a refused change', async () => {
    const s = await openConsoleServices({ dataDir: tempDir('svc'), startWorker: false });
    try {
      let error: unknown;
      try {
        s.settings.update({ stationId: 'bad id!', ratePerSecond: -1, timeZone: 'Mars/Base', managerPin: '12' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as SettingsError).issues.map((i) => i.field).sort()).toEqual([
        'managerPin',
        'ratePerSecond',
        'stationId',
        'timeZone',
      ]);
      expect(s.settings.get()).toMatchObject({
        stationId: 'ST01',
        ratePerSecond: 10,
        timeZone: 'Asia/Shanghai',
        managerPinSet: false,
      });
      expect(() => s.settings.update({ platform: 'custom' })).toThrow(/customBaseUrl/);
    } finally {
      await s.close();
    }
  });

  const pausesWithoutCredentials =
    'pause with a clear reason when a real platform lacks credentials, and lift it when they are entered';
  it(pausesWithoutCredentials, async () => {
    const s = await openConsoleServices({ dataDir: tempDir('svc'), startWorker: false });
    try {
      s.settings.update({ platform: 'custom', customBaseUrl: s.sandbox!.url });
      expect(s.queue.status().paused).toMatchObject({ kind: 'config' });
      expect((s.queue.status().paused as { message: string }).message).toContain('park_uuid');
      s.settings.update({ parkUuid: SANDBOX_DEFAULT_PARK, appSecret: 'sandbox-secret' });
      expect(s.queue.status().paused).toBeNull();
      s.queue.start();
      s.queue.enqueue('update', updateRecord());
      await s.queue.idle();
      expect(s.queue.status().counts.accepted).toBe(1);
    } finally {
      await s.close();
    }
  });
});
