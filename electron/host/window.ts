/**
 * The console's one window: the page from `app://console/` (protocol.ts) with the typed preload, context-isolated,
 * sandboxed, without Node, with web security on. Navigation, new windows and permissions are refused for every web
 * contents in security.ts; the window's place is remembered in preferences.ts.
 */
import { BrowserWindow } from 'electron';
import { logError } from '../services/logger.ts';
import { WINDOW_MIN, type WindowPlace } from './preferences.ts';
import { PAGE_URL } from './protocol.ts';

export const WINDOW_TITLE = '岗亭控制台';

export interface WindowOptions {
  preload: string;
  /** Where it was last (already checked against the displays), or null: `size`, centred. */
  place: WindowPlace | null;
  size: { width: number; height: number };
  /** False when started in the tray (`--hidden`, at login): the window is made but not shown. */
  show: boolean;
}

export function createConsoleWindow(options: WindowOptions): BrowserWindow {
  const { place } = options;
  const win = new BrowserWindow({
    ...(place
      ? { x: place.x, y: place.y, width: place.width, height: place.height }
      : { ...options.size, center: true }),
    minWidth: WINDOW_MIN.width,
    minHeight: WINDOW_MIN.height,
    title: WINDOW_TITLE,
    show: false,
    autoHideMenuBar: true,
    backgroundColor: '#f5f5f5',
    // The security checklist's part that lives here, written out where the window is made (so that a reader, and
    // Electronegativity, see it): context isolation, the sandbox, no Node anywhere, web security, no webview, no
    // middle-click new windows.
    webPreferences: {
      // electronegativity: PRELOAD_JS_CHECK — preload.ts gives the page only named contract functions and the
      // host's four file functions through contextBridge (no ipcRenderer, no Node, nothing generic);
      // test/host/preload-bundle.test.ts checks the bundle as shipped.
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => {
    if (!options.show) return;
    if (place?.maximized) win.maximize();
    win.show();
  });
  // Started in the tray: it was maximized when last closed, so it is when first opened.
  if (!options.show && place?.maximized) win.once('show', () => win.maximize());
  // A failed load (the page's files missing) shows an empty window; the log says why.
  win.loadURL(PAGE_URL).catch((e: unknown) => logError('window.load', e));
  return win;
}

/** Brings the window to the front: restored if minimized, shown if hidden in the tray. */
export function showWindow(win: BrowserWindow): void {
  if (win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}
