/**
 * The Electron host: wiring only. The console itself (handlers, outbox, settings, embedded sandbox) runs in the
 * backend's worker thread (electron/backend, `dist/host/backend.js` once bundled), so that this thread only answers
 * the window. Here: the hardening (security.ts, protocol.ts, window.ts), the secret's key (secret-key.ts), the
 * contract and the host's files over IPC (ipc.ts, files.ts), the window's place (preferences.ts), the tray
 * (tray.ts), start at login (login-item.ts), the page's crash recovery (renderer-recovery.ts) and how the app ends
 * (lifecycle/quit.ts). One console per Windows user: a second start shows the running one.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  type BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  powerMonitor,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
} from 'electron';
import type { ConsoleEvent, ConsoleStatus } from '../../shared/contract/api.ts';
import type { PublicSettings } from '../../shared/contract/settings.ts';
import { parseJson, startBackend } from '../backend/client.ts';
import type { Backend } from '../backend/types.ts';
import { storageMessage } from '../queue/storage-errors.ts';
import { createFileRegistry } from '../services/file-registry.ts';
import { attachLogFileIfPossible, type LogFile } from '../services/log-file.ts';
import { logFolder } from '../services/log-folder.ts';
import { logError, logInfo, logWarn } from '../services/logger.ts';
import { wireHostFiles } from './files.ts';
import { wireContract } from './ipc.ts';
import { createQuitFlow } from './lifecycle/quit.ts';
import { loginItem, startedHidden } from './login-item.ts';
import { defaultSize, openPreferences, placeOnDisplays, rememberWindowPlace } from './preferences.ts';
import { isOwnPage, registerAppScheme, serveRenderer } from './protocol.ts';
import { recoverRenderer } from './renderer-recovery.ts';
import { loadSecretKey, SecretKeyError } from './secret-key.ts';
import { denyAllPermissions, lockDownAllContents } from './security.ts';
import { createTray, trayStateOf } from './tray.ts';
import { createConsoleWindow, showWindow } from './window.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
/** Where the built renderer and the preload are, relative to this file once bundled into dist/host. */
const RENDERER_DIR = join(HERE, '..', 'renderer');
const PRELOAD = join(HERE, 'preload.cjs');
/** The backend thread's bundle, beside this one (electron/host/vite.config.ts builds both). */
const BACKEND_WORKER = new URL('./backend.js', import.meta.url);
/** electron-builder.yml's appId: the taskbar and the tray's notifications belong to the installed app. */
const APP_USER_MODEL_ID = 'com.pyun.booth-console';
/** How long quitting waits for a fresh count of the records not yet sent before it uses the last one it heard. */
const PENDING_ASK_MS = 2000;

/** Says why the console cannot start, in a box (nobody reads stderr at a booth), and ends it. */
function cannotStart(e: unknown, logFile: LogFile | null = null): void {
  logError('host.start', e);
  logFile?.close();
  if (e instanceof SecretKeyError) dialog.showErrorBox(e.title, e.message);
  else dialog.showErrorBox('岗亭控制台无法启动', storageMessage(e) ?? (e instanceof Error ? e.message : String(e)));
  app.exit(1);
}

export async function startElectronHost(): Promise<void> {
  // Before the app is ready: every renderer sandboxed whatever its webPreferences say, and the page's scheme
  // privileged from the start.
  app.enableSandbox();
  registerAppScheme(protocol);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  lockDownAllContents(app);

  let win: BrowserWindow | null = null;
  let showWhenStarted = !startedHidden(process.argv);
  let openWindow = () => {
    // A second start while this one is still starting: the window shows when it exists.
    showWhenStarted = true;
  };
  // A second start shows this console (the other process quits); one started at login stays in the tray.
  app.on('second-instance', (_event, argv) => {
    if (!startedHidden(argv)) openWindow();
  });
  app.on('activate', () => openWindow());
  app.on('child-process-gone', (_event, details) =>
    logWarn('host.child-gone', `${details.type} 进程退出: ${details.reason} (${details.exitCode})`),
  );

  await app.whenReady();
  // No application menu: no reload, zoom or developer tools shortcuts at the booth.
  Menu.setApplicationMenu(null);
  denyAllPermissions(session.defaultSession);
  serveRenderer(protocol, RENDERER_DIR);

  const dataDir = app.getPath('userData');
  const logFile = attachLogFileIfPossible(dataDir);
  const files = createFileRegistry();
  let backend: Backend;
  try {
    const secretKey = loadSecretKey(dataDir, safeStorage);
    // A corrupt settings file, or a CLI drain sending from this folder: said in a box, nothing half-started.
    backend = await startBackend({ dataDir, secretKey, files, workerUrl: BACKEND_WORKER });
  } catch (e) {
    cannotStart(e, logFile);
    return;
  }

  const prefs = openPreferences();
  const wiring = wireContract(ipcMain, backend, isOwnPage);
  const visibleWindow = () => (win && !win.isDestroyed() && win.isVisible() ? win : null);
  const fileWiring = wireHostFiles(ipcMain, dialog, {
    files,
    window: visibleWindow,
    isOwnPage,
    saveFolder: () => app.getPath('documents'),
    exportPath: backend.exportPath,
    logFolder: logFolder(dataDir),
    openFolder: (path) => shell.openPath(path),
  });

  const tray = createTray({
    Tray,
    Menu,
    image: (png, scaleFactor) => nativeImage.createFromBuffer(png, { scaleFactor }),
    open: () => openWindow(),
    quit: () => app.quit(),
  });
  const login = loginItem(app);
  // Only the few small kinds the host itself needs are parsed here; the rest pass to the page as bytes (ipc.ts).
  const unsubscribe = backend.subscribeJson((json, type) => {
    if (type !== 'status' && type !== 'settings') return;
    const event = parseJson<ConsoleEvent>(json);
    if (event.type === 'status') tray.update(trayStateOf(event.status));
    else if (event.type === 'settings') login.apply(event.settings);
  });

  /** The records not yet sent, asked now; the last count heard when the backend does not answer in time. */
  async function pendingNow(): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), PENDING_ASK_MS);
    });
    const fresh = backend
      .call('getStatus', undefined)
      .then((r) => (r.ok ? trayStateOf((r.value as ConsoleStatus).queue).pending : null));
    const count = await Promise.race([fresh, late]);
    clearTimeout(timer);
    return count ?? tray.state().pending;
  }

  let savePlace = () => {};
  const quitFlow = createQuitFlow({
    app,
    dialog,
    pending: pendingNow,
    window: visibleWindow,
    stayInTray: () => win?.hide(),
    steps: () => [
      ['window-place', () => savePlace()],
      ['events', () => unsubscribe()],
      ['ipc', () => wiring.dispose()],
      ['files', () => fileWiring.dispose()],
      ['tray', () => tray.destroy()],
      ['backend', () => backend.close()],
      ['log-file', () => logFile?.close()],
    ],
  });
  powerMonitor.on('shutdown', () => quitFlow.sessionEnding('系统正在关机'));

  function makeWindow(show: boolean): BrowserWindow {
    const place = placeOnDisplays(
      prefs.windowPlace(),
      screen.getAllDisplays().map((d) => d.workArea),
    );
    const size = defaultSize(screen.getPrimaryDisplay().workArea);
    const w = createConsoleWindow({ preload: PRELOAD, place, size, show });
    savePlace = rememberWindowPlace(w, prefs);
    recoverRenderer(w, {
      dialog,
      notify: (kind, message) => backend.notify(kind, message),
      ending: () => quitFlow.ending,
      quit: () => app.quit(),
    });
    w.on('close', (event) => {
      // While records wait, closing keeps the console in the tray (it goes on sending); otherwise it quits.
      if (quitFlow.ending || tray.state().pending === 0) return;
      event.preventDefault();
      w.hide();
    });
    w.on('session-end', () => quitFlow.sessionEnding('Windows 正在关机或注销'));
    w.on('closed', () => {
      if (win !== w) return;
      win = null;
      wiring.setTarget(null);
    });
    wiring.setTarget(w.webContents);
    return w;
  }

  openWindow = () => {
    if (quitFlow.ending) return;
    if (!win || win.isDestroyed()) win = makeWindow(true);
    else showWindow(win);
  };
  app.on('window-all-closed', () => app.quit());

  const [status, settings] = await Promise.all([
    backend.call('getStatus', undefined),
    backend.call('getSettings', undefined),
  ]);
  if (status.ok) tray.update(trayStateOf((status.value as ConsoleStatus).queue));
  if (settings.ok) login.apply(settings.value as PublicSettings);
  win = makeWindow(showWhenStarted);
  logInfo('host.start', `岗亭控制台已启动 (数据目录 ${dataDir}${showWhenStarted ? '' : ', 在托盘中'})`);
}

void startElectronHost().catch((e: unknown) => cannotStart(e));
