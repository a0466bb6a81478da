/**
 * The Electron host as shipped: the bundled dist/host/main.js (and the backend.js thread it starts) run in a child
 * Node process with a stand-in for `electron` (fake-electron/), which records what the app asks of Electron and lets
 * the test act as the page, the person and the OS. What is asserted is what the app really does: the window's
 * webPreferences, the page's scheme and CSP, the handlers that refuse navigation, new windows and permissions, the
 * IPC handlers and their sender check against the real backend, single instance, the tray, closing and quitting with
 * records waiting, the OS ending the session, the page crashing, start at login, the secret's key and the window's
 * place.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, Session, SubmitReleaseResult } from '../../shared/contract/api.ts';
import {
  HOST_OPEN_LOG_FOLDER_CHANNEL,
  HOST_PICK_CHANNEL,
  HOST_SAVE_CHANNEL,
  HOST_SAVE_EXPORT_CHANNEL,
  type HostNotice,
} from '../../shared/contract/host.ts';
import { IPC_EVENT_CHANNEL, IPC_PREFIX, METHOD_NAMES } from '../../shared/contract/methods.ts';
import type { QueuedRecord } from '../../shared/contract/queue.ts';
import { ensureHostBuilt, PRELOAD_BUNDLE } from './build-host.ts';
import { type FakeRecord, type HostChild, launchHost, PAGE } from './host-child.ts';

const PIN = '8642';
const release = (serial: string) => ({
  plate: '粤B12345',
  plateColor: '1',
  carType: '1',
  parkingSerial: serial,
  operateTime: Date.now() - 60_000,
  reason: '设备异常',
});

type Options = { options: Record<string, unknown> };
type Snapshot = {
  windows: { id: number; contentsId: number; visible: boolean; destroyed: boolean; reloads: number; url: string }[];
  tray: {
    tooltip: string;
    items: { label: string | null; enabled: boolean; type: string }[];
    image: { png: Uint8Array };
  };
  ipcChannels: string[];
};
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A console whose first start is done (sandbox, station B07), a shift on, unlocked as its manager. */
async function setUpAndStartShift(host: HostChild): Promise<void> {
  const session = await host.ok<Session>('completeSetup', {
    pin: PIN,
    name: '王工',
    stationId: 'B07',
    platform: 'sandbox',
  });
  expect(session).toMatchObject({ managerPinSet: true, manager: true });
  await host.ok('startShift', { operator: '张三' });
}

async function started(host: HostChild): Promise<void> {
  await host.waitFor('webContents.loadURL');
  await host.waitFor('window.ready-to-show');
}

beforeAll(async () => {
  await ensureHostBuilt();
}, 180_000);

/** An event the host sent the page: UTF-8 JSON made by the backend thread, relayed untouched (ipc.ts). */
function sentEvent(r: object): { type: string } | null {
  const first = ((r as { args?: unknown[] }).args ?? [])[0];
  return first instanceof Uint8Array ? (JSON.parse(new TextDecoder().decode(first)) as { type: string }) : null;
}

describe('the bundled main process, running', () => {
  let host: HostChild;
  beforeAll(async () => {
    host = launchHost();
    await started(host);
  }, 60_000);
  afterAll(async () => {
    await host?.dispose();
  });

  it('registers app:// as a privileged (standard, secure) scheme before ready, without bypassing the CSP', () => {
    const reg = host.all('protocol.registerSchemesAsPrivileged');
    expect(reg).toHaveLength(1);
    expect(reg[0]).toMatchObject({
      appReady: false,
      schemes: [{ scheme: 'app', privileges: { standard: true, secure: true } }],
    });
    const privileges = (reg[0]!.schemes as { privileges: Record<string, unknown> }[])[0]!.privileges;
    expect(privileges.bypassCSP).toBeUndefined();
    expect(host.all('protocol.handle')).toMatchObject([{ scheme: 'app', appReady: true }]);
  });

  it('serves the page from dist/renderer with a strict CSP header, and refuses anything outside it', async () => {
    type Fetched = { status: number; headers: Record<string, string>; body: string };
    const page = await host.command<Fetched>('fetch', { url: PAGE });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<div id="root"></div>');
    const csp = Object.fromEntries(
      page.headers['content-security-policy']!.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name!, values.join(' ')];
      }),
    );
    expect(csp).toMatchObject({
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self' 'unsafe-inline'",
      'img-src': "'self' data: blob:",
      'connect-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
    });
    for (const value of Object.values(csp)) expect(value).not.toMatch(/https?:|\*|unsafe-eval/);

    // The page's own script, by the relative path Vite wrote (base './'): it resolves under app://console/.
    const script = /<script[^>]+src="\.\/([^"]+)"/.exec(page.body)?.[1];
    expect(script).toMatch(/^assets\/.+\.js$/);
    const js = await host.command<Fetched>('fetch', { url: `app://console/${script}` });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');

    for (const url of [
      'app://console/..%2f..%2fpackage.json',
      'app://console/assets/..%2F..%2F..%2Fpackage.json',
      'app://console/%2e%2e%2fhost%2fmain.js',
      'app://console/..%5c..%5cpackage.json',
      'app://console/C%3A%5CWindows%5Cwin.ini',
      'app://console/index.html%00.js',
    ]) {
      const r = await host.command<Fetched>('fetch', { url });
      expect(r.status, url).toBe(403);
      expect(r.body).not.toContain('pyun-booth-console');
    }
    expect((await host.command<Fetched>('fetch', { url: 'app://console/../../package.json' })).status).toBe(404);
    expect((await host.command<Fetched>('fetch', { url: 'app://other/index.html' })).status).toBe(404);
    expect((await host.command<Fetched>('fetch', { url: PAGE, method: 'POST' })).status).toBe(405);
  });

  it('one window: context-isolated, sandboxed, no Node, web security, the bundled preload, app://console/', () => {
    const created = host.all('window.create') as (FakeRecord & Options)[];
    expect(created).toHaveLength(1);
    const prefs = created[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(host.all('app.enableSandbox')).toMatchObject([{ appReady: false }]);
    expect(prefs.preload).toBe(PRELOAD_BUNDLE);
    expect(existsSync(String(prefs.preload))).toBe(true);
    expect(host.all('webContents.loadURL')).toMatchObject([{ url: 'app://console/index.html' }]);
    expect(host.all('window.show')).toHaveLength(1);
    expect(host.all('Menu.setApplicationMenu')).toMatchObject([{ menu: null }]);
  });

  it('blocks navigation, redirects, new windows, webviews in every web contents; denies every permission', async () => {
    const snap = await host.command<Snapshot>('snapshot');
    const other = await host.command<number>('createContents');
    for (const contentsId of [snap.windows[0]!.contentsId, other]) {
      expect(await host.command('navigate', { contentsId, url: 'https://evil.example/' })).toBe(true);
      expect(await host.command('navigate', { contentsId, url: 'app://console/index.html' })).toBe(true);
      expect(await host.command('redirect', { contentsId, url: 'https://evil.example/' })).toBe(true);
      expect(await host.command('windowOpen', { contentsId, url: 'https://evil.example/' })).toEqual({
        action: 'deny',
      });
      expect(await host.command('attachWebview', { contentsId })).toBe(true);
    }
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-sanitized-write', 'openExternal']) {
      expect(await host.command('permissionRequest', { permission }), permission).toBe(false);
      expect(await host.command('permissionCheck', { permission, origin: 'app://console' }), permission).toBe(false);
    }
  });

  it('answers every contract method over IPC for the console page only, against the real backend', async () => {
    const snap = await host.command<Snapshot>('snapshot');
    expect(snap.ipcChannels).toEqual(
      expect.arrayContaining([
        ...METHOD_NAMES.map((m) => `${IPC_PREFIX}${m}`),
        HOST_PICK_CHANNEL,
        HOST_SAVE_CHANNEL,
        HOST_SAVE_EXPORT_CHANNEL,
        HOST_OPEN_LOG_FOLDER_CHANNEL,
      ]),
    );
    expect(snap.ipcChannels).toHaveLength(METHOD_NAMES.length + 4);

    for (const foreign of [
      'https://evil.example/',
      'file:///C:/Users/booth/index.html',
      'app://console.evil/index.html',
      'app://evil/index.html',
      '',
    ]) {
      const refused = await host.call('getSession', undefined, foreign);
      expect(refused, foreign).toEqual({
        ok: false,
        error: { code: 'unauthorized', message: '拒绝来自其他页面的请求' },
      });
      const refusedFile = await host.command<ApiResult<unknown>>('invoke', {
        channel: HOST_OPEN_LOG_FOLDER_CHANNEL,
        senderUrl: foreign,
      });
      expect(refusedFile.ok).toBe(false);
    }
    expect(host.all('shell.openPath')).toHaveLength(0);

    await setUpAndStartShift(host);
    const before = host.mark();
    const saved = await host.ok<SubmitReleaseResult>('submitRelease', release('PS-HOST-0001'));
    expect(saved.flowNo).toMatch(/^B07-F-/);
    const stored = await host.ok<QueuedRecord>('getRecord', { id: saved.id });
    expect(stored).toMatchObject({ endpoint: 'update', plate: '粤B12345', createdBy: '张三' });
    expect(stored.record).toMatchObject({ parking_serial: 'PS-HOST-0001', operator: '张三' });
    // The backend's events reach the window's page.
    await host.waitFor('webContents.send', (r) => r.channel === IPC_EVENT_CHANNEL && sentEvent(r)?.type === 'record', {
      since: before,
    });
    // Sent before the next test changes the platform (its counts start from nothing waiting, on a slow machine too).
    const deadline = Date.now() + 20_000;
    while ((await host.ok<QueuedRecord>('getRecord', { id: saved.id })).state !== 'accepted') {
      if (Date.now() > deadline) throw new Error('the release was not accepted by the embedded sandbox');
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  it('shows the waiting count in the tray, and a balloon once when sending pauses for a settings problem', async () => {
    const before = host.mark();
    // 自定义地址 without park_uuid or secret: the outbox cannot send (a `config` pause).
    await host.ok('updateSettings', { platform: 'custom', customBaseUrl: 'http://127.0.0.1:9' });
    const balloon = await host.waitFor('tray.displayBalloon', undefined, { since: before });
    expect(balloon.options).toMatchObject({ title: '上传已暂停', iconType: 'warning' });
    expect(String((balloon.options as { content: string }).content)).toMatch(/park_uuid.*设置/);

    await host.ok('submitRelease', release('PS-HOST-0002'));
    await host.waitFor('tray.setToolTip', (r) => r.tooltip === '岗亭控制台 · 待上传 1 条 · 上传已暂停', {
      since: before,
    });
    const snap = await host.command<Snapshot>('snapshot');
    expect(snap.tray.items).toEqual([
      { label: '打开控制台', type: 'normal', enabled: true },
      { label: '待上传 1 条', type: 'normal', enabled: false },
      { label: '上传已暂停', type: 'normal', enabled: false },
      { label: null, type: 'separator', enabled: true },
      { label: '退出', type: 'normal', enabled: true },
    ]);
    const icon = snap.tray.image.png;
    expect([...icon.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const first = (host.all('tray.create')[0]!.image as { png: Uint8Array }).png;
    expect(Buffer.from(icon).equals(Buffer.from(first))).toBe(false);
    // Only on the transition: more events while paused show no second balloon.
    await host.ok('retryNow', {});
    expect(host.all('tray.displayBalloon', before)).toHaveLength(1);
  });

  it('closing the window while records wait hides it; the tray and a second start bring it back', async () => {
    expect(await host.command('windowClose')).toBe(false);
    expect(host.all('window.close').at(-1)).toMatchObject({ prevented: true });
    let snap = await host.command<Snapshot>('snapshot');
    expect(snap.windows[0]).toMatchObject({ visible: false, destroyed: false });

    await host.command('trayClick');
    snap = await host.command<Snapshot>('snapshot');
    expect(snap.windows[0]!.visible).toBe(true);

    await host.command('windowClose');
    await host.command('trayMenuClick', { label: '打开控制台' });
    expect((await host.command<Snapshot>('snapshot')).windows[0]!.visible).toBe(true);

    await host.command('windowClose');
    const before = host.mark();
    await host.command('appEmit', { event: 'second-instance', args: [['岗亭控制台.exe'], 'C:\\'] });
    expect((await host.command<Snapshot>('snapshot')).windows[0]!.visible).toBe(true);
    expect(host.all('window.focus', before)).toHaveLength(1);

    await host.command('windowClose');
    await host.command('appEmit', { event: 'second-instance', args: [['booth-console.exe', '--hidden'], 'C:\\'] });
    expect((await host.command<Snapshot>('snapshot')).windows[0]!.visible).toBe(false);
    await host.command('trayClick');

    await host.command('windowMinimize');
    const again = host.mark();
    await host.command('appEmit', { event: 'second-instance', args: [[], ''] });
    expect(host.all('window.restore', again)).toHaveLength(1);
    expect(host.all('window.create')).toHaveLength(1);
  });

  it('quitting with records waiting asks first, with the count, and stays in the tray when told to', async () => {
    const before = host.mark();
    await host.command('trayMenuClick', { label: '退出' });
    const asked = await host.waitFor('dialog.showMessageBox', undefined, { since: before });
    const options = asked.options as { message: string; buttons: string[]; cancelId: number };
    expect(options.message).toContain('还有 1 条记录未上传');
    expect(options.buttons).toEqual(['留在后台继续上传', '仍然退出']);
    expect(options.cancelId).toBe(0);

    await host.command('answerDialog', { id: asked.id, response: 0 });
    await host.waitFor('window.hide', undefined, { since: before });
    expect(host.all('app.exit', before)).toHaveLength(0);
    expect(host.all('tray.destroy')).toHaveLength(0);
    // Still running: the backend answers.
    expect((await host.ok<Session>('getSession')).operator).toBe('张三');
    await host.command('trayClick');
  });

  it('reloads a crashed page with a notice; the third crash within a minute asks instead', async () => {
    const gone = { reason: 'crashed', exitCode: 139 };
    const before = host.mark();
    await host.command('contentsEmit', { event: 'render-process-gone', args: [gone] });
    await host.waitFor('webContents.reload', undefined, { since: before });
    const notices = await host.ok<HostNotice[]>('hostNotices');
    expect(notices.at(-1)).toMatchObject({ kind: 'renderer-reloaded' });
    expect(notices.at(-1)!.message).toMatch(
      /^界面意外退出 \(界面进程崩溃, 退出码 139\), 已重新载入; 已保存的记录不受影响$/,
    );
    await host.waitFor('webContents.send', (r) => sentEvent(r)?.type === 'host', {
      since: before,
    });

    await host.command('contentsEmit', { event: 'render-process-gone', args: [{ reason: 'oom', exitCode: 1 }] });
    await host.command('contentsEmit', { event: 'render-process-gone', args: [{ reason: 'killed', exitCode: 9 }] });
    const box = await host.waitFor('dialog.showMessageBox', undefined, { since: before });
    expect(String((box.options as { message: string }).message)).toContain('一分钟内意外退出了 3 次');
    expect(host.all('webContents.reload', before)).toHaveLength(2);
    await host.command('answerDialog', { id: box.id, response: 0 });
    await host.waitFor('webContents.reload', (r) => r.reloads === 3, { since: before });
    await host.command('contentsEmit', { event: 'unresponsive' });
  });

  it('applies 开机自动启动 at start and whenever the setting changes, starting in the tray', async () => {
    const first = host.all('app.setLoginItemSettings')[0]!;
    expect(first.settings).toMatchObject({ openAtLogin: false });
    expect((first.settings as { args: string[] }).args.at(-1)).toBe('--hidden');
    const before = host.mark();
    await host.ok('updateSettings', { startAtLogin: true });
    const applied = await host.waitFor('app.setLoginItemSettings', undefined, { since: before });
    expect(applied.settings).toMatchObject({ openAtLogin: true });
    await host.ok('updateSettings', { ratePerSecond: 5 });
    expect(host.all('app.setLoginItemSettings', applied.seq)).toHaveLength(0);
  });

  it('with nothing waiting, closing the window quits without asking: orderly shutdown, exit code 0', async () => {
    const before = host.mark();
    await host.ok('updateSettings', { platform: 'sandbox' });
    await host.waitFor('tray.setToolTip', (r) => r.tooltip === '岗亭控制台 · 待上传 0 条', { since: before });
    await host.command('windowSetBounds', { bounds: { x: 40, y: 30 } });
    const closing = host.mark();
    expect(await host.command('windowClose')).toBe(true);
    const { code } = await host.exited;
    expect(code).toBe(0);
    expect(host.all('dialog.showMessageBox', closing)).toHaveLength(0);
    expect(host.all('app.exit', closing)).toMatchObject([{ code: 0 }]);
    expect(host.all('tray.destroy', closing)).toHaveLength(1);
    expect(host.all('ipcMain.removeHandler', closing)).toHaveLength(METHOD_NAMES.length + 4);
    const prefs = JSON.parse(readFileSync(join(host.userData, 'preferences.json'), 'utf8'));
    expect(prefs.window).toEqual({ x: 40, y: 30, width: 1440, height: 900, maximized: false });
    // Every shutdown step succeeded (a failed one is logged as shutdown.<step>).
    expect(host.stderr()).not.toMatch(/\[shutdown/);
  });
});

describe('the bundled main process, starting and ending', () => {
  const hosts: HostChild[] = [];
  afterAll(async () => {
    for (const h of hosts) await h.dispose();
  });
  const launch = (...args: Parameters<typeof launchHost>) => {
    const h = launchHost(...args);
    hosts.push(h);
    return h;
  };

  it('a second start (the lock is held) quits at once: no window, no backend', async () => {
    const host = launch({ env: { FAKE_ELECTRON_LOCK: 'refuse' } });
    expect((await host.exited).code).toBe(0);
    expect(host.all('app.requestSingleInstanceLock')).toMatchObject([{ granted: false }]);
    expect(host.all('app.quit')).toHaveLength(1);
    expect(host.all('window.create')).toHaveLength(0);
    expect(existsSync(join(host.userData, 'booth.sqlite'))).toBe(false);
  });

  it('--hidden starts in the tray at the saved place; key kept by safeStorage; OS shutdown never asks', async () => {
    const place = { x: 100, y: 80, width: 1200, height: 800, maximized: false };
    const host = launch({ args: ['--hidden'], files: { 'preferences.json': JSON.stringify({ window: place }) } });
    await started(host);
    const created = host.all('window.create')[0] as FakeRecord & Options;
    expect(created.options).toMatchObject({ x: 100, y: 80, width: 1200, height: 800, show: false });
    expect(host.all('window.show')).toHaveLength(0);

    const keyFile = readFileSync(join(host.userData, 'secret-key.safe'), 'latin1');
    expect(keyFile).toMatch(/^FAKE-DPAPI:[0-9a-f]+$/);
    const key = Buffer.from(Buffer.from(keyFile.slice('FAKE-DPAPI:'.length), 'hex').toString('utf8'), 'base64');
    expect(key).toHaveLength(32);

    await setUpAndStartShift(host);
    await host.ok('pauseQueue', { reason: '平台维护中' });
    await host.ok('submitRelease', release('PS-HOST-0101'));
    await host.waitFor('tray.setToolTip', (r) => r.tooltip === '岗亭控制台 · 待上传 1 条 · 上传已暂停');
    expect(host.all('tray.displayBalloon')).toHaveLength(0); // a manager's pause is no settings problem

    await host.command('powerEmit', { event: 'shutdown' });
    expect((await host.exited).code).toBe(0);
    expect(host.all('dialog.showMessageBox')).toHaveLength(0);
    expect(host.all('app.exit')).toMatchObject([{ code: 0 }]);
  });

  it('a place off every display is not used (1366×768: the screen size); the session ending never asks', async () => {
    const place = { x: 1500, y: 100, width: 1200, height: 800, maximized: false };
    const host = launch({
      env: {
        FAKE_ELECTRON_SAFE_STORAGE: 'off',
        FAKE_ELECTRON_DISPLAYS: JSON.stringify([{ x: 0, y: 0, width: 1366, height: 728 }]),
      },
      files: { 'preferences.json': JSON.stringify({ window: place }) },
    });
    await started(host);
    const created = host.all('window.create')[0] as FakeRecord & Options;
    expect(created.options).toMatchObject({ width: 1366, height: 728, center: true });
    expect(created.options.x).toBeUndefined();
    // No OS encryption: no key file of the host's (the backend keeps its own and the settings screen asks first).
    expect(existsSync(join(host.userData, 'secret-key.safe'))).toBe(false);

    await setUpAndStartShift(host);
    await host.ok('pauseQueue', { reason: '平台维护中' });
    await host.ok('submitRelease', release('PS-HOST-0201'));
    await host.waitFor('tray.setToolTip', (r) => r.tooltip === '岗亭控制台 · 待上传 1 条 · 上传已暂停');

    await host.command('windowEmit', { event: 'session-end' });
    expect((await host.exited).code).toBe(0);
    expect(host.all('dialog.showMessageBox')).toHaveLength(0);
  });

  it('quitting with records waiting and "仍然退出" ends the app in order', async () => {
    const host = launch();
    await started(host);
    await setUpAndStartShift(host);
    await host.ok('pauseQueue', { reason: '平台维护中' });
    await host.ok('submitRelease', release('PS-HOST-0301'));
    await host.ok('submitRelease', release('PS-HOST-0302'));
    await host.waitFor('tray.setToolTip', (r) => r.tooltip === '岗亭控制台 · 待上传 2 条 · 上传已暂停');
    await host.command('appQuit');
    const asked = await host.waitFor('dialog.showMessageBox');
    expect((asked.options as { message: string }).message).toContain('还有 2 条记录未上传');
    await host.command('answerDialog', { id: asked.id, response: 1 });
    expect((await host.exited).code).toBe(0);
    expect(host.all('tray.destroy')).toHaveLength(1);
  });

  it('a key file that does not decrypt stops the start with a box that says what to do, and is kept', async () => {
    const host = launch({ files: { 'secret-key.safe': 'copied from another PC' } });
    const keyPath = join(host.userData, 'secret-key.safe');
    expect((await host.exited).code).toBe(1);
    const box = host.all('dialog.showErrorBox')[0]!;
    expect(box.title).toBe('岗亭控制台无法启动: 密钥文件无法解密');
    expect(String(box.content)).toContain(keyPath);
    expect(String(box.content)).toMatch(/不会替换它.*原来的 Windows 用户/s);
    expect(readFileSync(keyPath, 'utf8')).toBe('copied from another PC');
    expect(host.all('window.create')).toHaveLength(0);
  });

  it('a preferences file a power cut left empty is started afresh: the console opens', async () => {
    const host = launch({ files: { 'preferences.json': '' } });
    const opened = await Promise.race([
      host.exited.then(() => 'exited'),
      host.waitFor('window.create').then(() => 'window'),
    ]);
    expect(opened).toBe('window');
    expect(host.all('dialog.showErrorBox')).toHaveLength(0);
  });
});
