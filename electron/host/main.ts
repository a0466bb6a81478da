/**
 * The Electron host: one window on the built renderer, the contract over IPC (electron/host/ipc.ts),
 * the same main-process services as the preview host, with electron-store for settings and
 * safeStorage (DPAPI on Windows) for the app secret. contextIsolation and sandbox on, Node off,
 * no navigation away from the console, no new windows, no permissions.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session } from 'electron';
import Store from 'electron-store';
import { createConsole } from '../console/handlers.ts';
import { readingSettingsFile, settingsFileDeserializer } from '../queue/storage-errors.ts';
import { openConsoleServices, type ConsoleServices } from '../services/open.ts';
import { shutdownWithin } from '../services/shutdown.ts';
import { keyFileCipher, type SecretCipher } from '../settings/secret-cipher.ts';
import type { KeyValueStore } from '../settings/settings-service.ts';
import { createFileRegistry } from '../services/file-registry.ts';
import { wireHostFiles } from './files.ts';
import { wireContract } from './ipc.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
/** Where the built renderer and preload are, relative to this file once bundled into dist/host. */
const RENDERER_INDEX = join(HERE, '..', 'renderer', 'index.html');
const PRELOAD = join(HERE, 'preload.cjs');

function safeStorageCipher(dataDir: string): SecretCipher {
  if (!safeStorage.isEncryptionAvailable()) return keyFileCipher(dataDir);
  return {
    kind: 'safeStorage',
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (stored) => safeStorage.decryptString(Buffer.from(stored, 'base64')),
  };
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    title: '岗亭控制台',
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event, url) => {
    if (url !== win.webContents.getURL()) event.preventDefault();
  });
  void win.loadFile(RENDERER_INDEX);
  return win;
}

export async function startElectronHost(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(permission === 'clipboard-sanitized-write'),
  );

  const dataDir = app.getPath('userData');
  let services: ConsoleServices;
  try {
    // A settings file that is not a JSON object names itself and what to do (SettingsFileError), as in the preview
    // host; one saved by Notepad with a BOM is read.
    const settingsPath = join(dataDir, 'settings.json');
    const store = readingSettingsFile(
      settingsPath,
      () =>
        new Store<Record<string, unknown>>({ name: 'settings', deserialize: settingsFileDeserializer(settingsPath) }),
    ) as unknown as KeyValueStore;
    services = await openConsoleServices({ dataDir, store, cipher: safeStorageCipher(dataDir) });
  } catch (e) {
    // A corrupt settings file, or a CLI drain sending from this folder (WorkerBusyError says who): say it in a box,
    // do not half-start.
    dialog.showErrorBox('岗亭控制台无法启动', e instanceof Error ? e.message : String(e));
    app.quit();
    return;
  }
  const files = createFileRegistry();
  const boothConsole = createConsole(services, { files });
  const ownPage = pathToFileURL(RENDERER_INDEX).href;
  const isOwnPage = (url: string) => url.split(/[?#]/)[0] === ownPage;
  const wiring = wireContract(ipcMain, boothConsole, isOwnPage);

  let win = createWindow();
  const fileWiring = wireHostFiles(ipcMain, dialog, {
    files,
    window: () => (win.isDestroyed() ? null : win),
    isOwnPage,
    saveFolder: () => app.getPath('documents'),
  });
  wiring.setTarget(win.webContents);
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) {
      win = createWindow();
      wiring.setTarget(win.webContents);
    }
  });
  app.on('window-all-closed', () => app.quit());

  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    // The outbox waits for requests in flight (bounded); every step runs even if one fails (a read-only data
    // folder), and a deadline ends the app anyway.
    void shutdownWithin(
      [
        ['ipc', () => wiring.dispose()],
        ['files', () => fileWiring.dispose()],
        ['console', () => boothConsole.close()],
        ['services', () => services.close()],
      ],
      (code) => app.exit(code),
    );
  });
}

void startElectronHost();
