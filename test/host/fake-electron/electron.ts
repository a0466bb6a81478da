/**
 * A stand-in for the `electron` module, for running the bundled main process (dist/host/main.js) in plain Node. It
 * does what the host asks of Electron closely enough to be driven (windows, web contents, IPC, the protocol, the
 * tray, dialogs, power events), records every call, and sends each record to the test over the child's IPC channel.
 * The test drives it with commands (see COMMANDS): emit an event, invoke an IPC handler as a given page, fetch a URL
 * of the app scheme, answer a dialog… Environment: FAKE_ELECTRON_USER_DATA (the userData folder),
 * FAKE_ELECTRON_LOCK=refuse (another instance holds the lock), FAKE_ELECTRON_SAFE_STORAGE=off (no OS encryption),
 * FAKE_ELECTRON_DISPLAYS (JSON: the displays' work areas).
 *
 * It is also what electron-store sees (app.getPath, app.getVersion, ipcMain.on, shell).
 */
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type FakeRecord = { kind: string; seq: number } & Record<string, unknown>;
export type ToChild = { type: 'command'; id: number; op: string; args: Record<string, unknown> };
export type FromChild =
  | { type: 'record'; record: FakeRecord }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };

// ---- recording ----

let seq = 0;

/** A copy that crosses the IPC channel: functions named, depth bounded, buffers kept. */
function plain(value: unknown, depth = 0): unknown {
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (depth > 8) return '[deep]';
  if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1));
  if (value instanceof EventEmitter) return `[${value.constructor.name}]`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = plain(v, depth + 1);
  return out;
}

function send(message: FromChild, done?: () => void): void {
  if (process.send && process.connected) process.send(message, undefined, {}, () => done?.());
  else done?.();
}

function record(kind: string, data: Record<string, unknown> = {}): void {
  send({ type: 'record', record: { kind, seq: ++seq, ...(plain(data) as Record<string, unknown>) } });
}

class FakeEvent {
  defaultPrevented = false;
  constructor(extra: Record<string, unknown> = {}) {
    Object.assign(this, extra);
  }
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

// ---- app ----

const userData = process.env.FAKE_ELECTRON_USER_DATA ?? join(tmpdir(), `fake-electron-${process.pid}`);
mkdirSync(userData, { recursive: true });

class FakeApp extends EventEmitter {
  isPackaged = false;
  name = 'pyun-booth-console';
  quitting = false;
  private ready = false;
  private readonly readyPromise: Promise<void>;

  constructor() {
    super();
    this.readyPromise = new Promise((resolve) => {
      // After the main script's synchronous start (as Electron: ready comes after the script has run).
      setTimeout(() => {
        this.ready = true;
        record('app.ready');
        this.emit('ready', new FakeEvent(), {});
        resolve();
      }, 20);
    });
  }

  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  isReady(): boolean {
    return this.ready;
  }
  requestSingleInstanceLock(): boolean {
    const granted = process.env.FAKE_ELECTRON_LOCK !== 'refuse';
    record('app.requestSingleInstanceLock', { granted });
    return granted;
  }
  enableSandbox(): void {
    record('app.enableSandbox', { appReady: this.ready });
  }
  setAppUserModelId(id: string): void {
    record('app.setAppUserModelId', { id });
  }
  getPath(name: string): string {
    if (name === 'userData') return userData;
    const dir = join(userData, `_${name}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  getVersion(): string {
    return '0.1.0';
  }
  getName(): string {
    return this.name;
  }
  getAppPath(): string {
    return process.cwd();
  }
  setLoginItemSettings(settings: Record<string, unknown>): void {
    record('app.setLoginItemSettings', { settings });
  }
  getLoginItemSettings(): Record<string, unknown> {
    return { openAtLogin: false };
  }
  /** Electron's order: before-quit (preventable), every window closed (each may refuse), will-quit, quit, exit. */
  quit(): void {
    record('app.quit');
    const before = new FakeEvent();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    this.quitting = true;
    for (const w of FakeBrowserWindow.getAllWindows()) {
      w.close();
      if (!w.isDestroyed()) {
        this.quitting = false;
        return;
      }
    }
    const will = new FakeEvent();
    this.emit('will-quit', will);
    if (will.defaultPrevented) {
      this.quitting = false;
      return;
    }
    this.emit('quit', new FakeEvent(), 0);
    this.exit(0);
  }
  exit(code = 0): void {
    record('app.exit', { code });
    send({ type: 'record', record: { kind: 'process.exit', seq: ++seq, code } }, () => process.exit(code));
  }
}

export const app = new FakeApp();

// ---- web contents and windows ----

let nextContentsId = 1;
const allContents = new Map<number, FakeWebContents>();

type OpenHandler = (details: Record<string, unknown>) => { action: string };

class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  url = '';
  reloads = 0;
  destroyed = false;
  windowOpenHandler: OpenHandler | null = null;
  readonly session: FakeSession;
  readonly owner: FakeBrowserWindow | null;

  constructor(owner: FakeBrowserWindow | null) {
    super();
    this.owner = owner;
    this.session = defaultSession;
    allContents.set(this.id, this);
  }
  setWindowOpenHandler(handler: OpenHandler): void {
    this.windowOpenHandler = handler;
    record('webContents.setWindowOpenHandler', { id: this.id });
  }
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isCrashed(): boolean {
    return false;
  }
  send(channel: string, ...args: unknown[]): void {
    record('webContents.send', { id: this.id, channel, args });
  }
  loadURL(url: string): Promise<void> {
    this.url = url;
    record('webContents.loadURL', { id: this.id, url });
    setTimeout(() => this.emit('did-finish-load', new FakeEvent()), 5);
    return Promise.resolve();
  }
  reload(): void {
    this.reloads++;
    record('webContents.reload', { id: this.id, reloads: this.reloads });
    setTimeout(() => this.emit('did-finish-load', new FakeEvent()), 5);
  }
}

let nextWindowId = 1;
const windows: FakeBrowserWindow[] = [];
type Bounds = { x: number; y: number; width: number; height: number };

class FakeBrowserWindow extends EventEmitter {
  static getAllWindows(): FakeBrowserWindow[] {
    return windows.filter((w) => !w.isDestroyed());
  }
  static fromWebContents(contents: FakeWebContents): FakeBrowserWindow | null {
    return contents.owner;
  }

  readonly id = nextWindowId++;
  readonly webContents: FakeWebContents;
  private visible = false;
  private minimized = false;
  private maximized = false;
  private destroyed = false;
  private shownOnce = false;
  private bounds: Bounds;
  readonly options: Record<string, unknown>;

  constructor(options: Record<string, unknown> = {}) {
    super();
    this.options = options;
    const n = (k: string, d: number) => (typeof options[k] === 'number' ? (options[k] as number) : d);
    const width = n('width', 800);
    const height = n('height', 600);
    this.bounds = {
      x: n('x', Math.round((1920 - width) / 2)),
      y: n('y', Math.round((1040 - height) / 2)),
      width,
      height,
    };
    this.webContents = new FakeWebContents(this);
    windows.push(this);
    record('window.create', { id: this.id, contentsId: this.webContents.id, options });
    app.emit('web-contents-created', new FakeEvent(), this.webContents);
    if (options.show !== false) this.show();
  }
  loadURL(url: string): Promise<void> {
    const done = this.webContents.loadURL(url);
    setTimeout(() => {
      if (this.shownOnce || this.destroyed) return;
      this.shownOnce = true;
      this.emit('ready-to-show', new FakeEvent());
      record('window.ready-to-show', { id: this.id });
    }, 10);
    return done;
  }
  loadFile(path: string): Promise<void> {
    return this.loadURL(`file://${path}`);
  }
  show(): void {
    this.visible = true;
    this.minimized = false;
    record('window.show', { id: this.id });
    this.emit('show');
  }
  hide(): void {
    this.visible = false;
    record('window.hide', { id: this.id });
    this.emit('hide');
  }
  focus(): void {
    record('window.focus', { id: this.id });
    this.emit('focus');
  }
  restore(): void {
    this.minimized = false;
    this.visible = true;
    record('window.restore', { id: this.id });
    this.emit('restore');
  }
  minimize(): void {
    this.minimized = true;
    record('window.minimize', { id: this.id });
    this.emit('minimize');
  }
  maximize(): void {
    this.maximized = true;
    this.visible = true;
    record('window.maximize', { id: this.id });
    this.emit('maximize');
  }
  unmaximize(): void {
    this.maximized = false;
    this.emit('unmaximize');
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isVisible(): boolean {
    return this.visible && !this.destroyed;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getBounds(): Bounds {
    return { ...this.bounds };
  }
  getNormalBounds(): Bounds {
    return { ...this.bounds };
  }
  setBounds(b: Partial<Bounds>): void {
    const moved = b.x !== undefined || b.y !== undefined;
    this.bounds = { ...this.bounds, ...b };
    this.emit(moved ? 'move' : 'resize');
  }
  setTitle(): void {}
  close(): void {
    if (this.destroyed) return;
    const event = new FakeEvent();
    this.emit('close', event);
    record('window.close', { id: this.id, prevented: event.defaultPrevented });
    if (!event.defaultPrevented) this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroyed = true;
    record('window.closed', { id: this.id });
    this.emit('closed');
    if (!app.quitting && FakeBrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
  }
  /** For the test's snapshot. */
  describe(): Record<string, unknown> {
    return {
      id: this.id,
      contentsId: this.webContents.id,
      visible: this.isVisible(),
      minimized: this.minimized,
      maximized: this.maximized,
      destroyed: this.destroyed,
      bounds: this.bounds,
      url: this.webContents.url,
      reloads: this.webContents.reloads,
    };
  }
}

export const BrowserWindow = FakeBrowserWindow;
export const webContents = {
  getAllWebContents: () => [...allContents.values()].filter((c) => !c.destroyed),
  fromId: (id: number) => allContents.get(id),
};

// ---- session, protocol, IPC ----

type RequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: unknown,
) => void;
type CheckHandler = (contents: unknown, permission: string, origin: string, details: unknown) => boolean;

class FakeSession extends EventEmitter {
  requestHandler: RequestHandler | null = null;
  checkHandler: CheckHandler | null = null;
  setPermissionRequestHandler(handler: RequestHandler | null): void {
    this.requestHandler = handler;
    record('session.setPermissionRequestHandler', { set: handler !== null });
  }
  setPermissionCheckHandler(handler: CheckHandler | null): void {
    this.checkHandler = handler;
    record('session.setPermissionCheckHandler', { set: handler !== null });
  }
}
const defaultSession = new FakeSession();
export const session = { defaultSession };

type ProtocolHandler = (request: Request) => Response | Promise<Response>;
const protocolHandlers = new Map<string, ProtocolHandler>();
export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    record('protocol.registerSchemesAsPrivileged', { schemes, appReady: app.isReady() });
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    protocolHandlers.set(scheme, handler);
    record('protocol.handle', { scheme, appReady: app.isReady() });
  },
  unhandle(scheme: string): void {
    protocolHandlers.delete(scheme);
  },
  isProtocolHandled: (scheme: string) => protocolHandlers.has(scheme),
};

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;
class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, InvokeHandler>();
  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
    record('ipcMain.handle', { channel });
  }
  handleOnce(channel: string, handler: InvokeHandler): void {
    this.handle(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
    record('ipcMain.removeHandler', { channel });
  }
}
export const ipcMain = new FakeIpcMain();

// ---- dialogs, shell, tray, menus, images, screen, power, safeStorage ----

let nextDialogId = 1;
const dialogAnswers = new Map<number, (response: number) => void>();
export const dialog = {
  showErrorBox(title: string, content: string): void {
    record('dialog.showErrorBox', { title, content });
  },
  showMessageBox(...args: unknown[]): Promise<{ response: number; checkboxChecked: boolean }> {
    const parent = args.length > 1 ? (args[0] as FakeBrowserWindow | null) : null;
    const options = args[args.length - 1] as Record<string, unknown>;
    const id = nextDialogId++;
    record('dialog.showMessageBox', { id, parent: parent?.id ?? null, options });
    return new Promise((resolve) => {
      dialogAnswers.set(id, (response) => resolve({ response, checkboxChecked: false }));
    });
  },
  showOpenDialog(): Promise<{ canceled: boolean; filePaths: string[] }> {
    record('dialog.showOpenDialog');
    return Promise.resolve({ canceled: true, filePaths: [] });
  },
  showSaveDialog(): Promise<{ canceled: boolean; filePath: string }> {
    record('dialog.showSaveDialog');
    return Promise.resolve({ canceled: true, filePath: '' });
  },
};

export const shell = {
  openPath(path: string): Promise<string> {
    record('shell.openPath', { path });
    return Promise.resolve('');
  },
  openExternal(url: string): Promise<void> {
    record('shell.openExternal', { url });
    return Promise.resolve();
  },
  showItemInFolder(path: string): void {
    record('shell.showItemInFolder', { path });
  },
};

class FakeNativeImage {
  readonly png: Uint8Array;
  readonly scaleFactor: number;
  constructor(png: Uint8Array, scaleFactor: number) {
    this.png = png;
    this.scaleFactor = scaleFactor;
  }
  isEmpty(): boolean {
    return this.png.length === 0;
  }
  toPNG(): Uint8Array {
    return this.png;
  }
}
export const nativeImage = {
  createFromBuffer: (buffer: Uint8Array, options: { scaleFactor?: number } = {}) =>
    new FakeNativeImage(buffer, options.scaleFactor ?? 1),
  createFromDataURL: (url: string) => new FakeNativeImage(Buffer.from(url.split(',')[1] ?? '', 'base64'), 1),
  createEmpty: () => new FakeNativeImage(new Uint8Array(0), 1),
};
const imageOf = (image: FakeNativeImage) => ({ png: image.png, scaleFactor: image.scaleFactor });

type MenuItem = { label?: string; type?: string; enabled?: boolean; click?: () => void };
class FakeMenu {
  readonly items: MenuItem[];
  constructor(items: MenuItem[]) {
    this.items = items;
  }
}
export const Menu = {
  buildFromTemplate: (template: MenuItem[]) => new FakeMenu(template),
  setApplicationMenu(menu: FakeMenu | null): void {
    record('Menu.setApplicationMenu', { menu: menu ? menu.items : null });
  },
};
const menuItems = (menu: FakeMenu | null) =>
  (menu?.items ?? []).map((i) => ({ label: i.label ?? null, type: i.type ?? 'normal', enabled: i.enabled !== false }));

const trays: FakeTray[] = [];
class FakeTray extends EventEmitter {
  tooltip = '';
  menu: FakeMenu | null = null;
  image: FakeNativeImage;
  destroyed = false;
  constructor(image: FakeNativeImage) {
    super();
    this.image = image;
    trays.push(this);
    record('tray.create', { image: imageOf(image) });
  }
  setToolTip(tooltip: string): void {
    this.tooltip = tooltip;
    record('tray.setToolTip', { tooltip });
  }
  setContextMenu(menu: FakeMenu | null): void {
    this.menu = menu;
    record('tray.setContextMenu', { items: menuItems(menu) });
  }
  setImage(image: FakeNativeImage): void {
    this.image = image;
    record('tray.setImage', { image: imageOf(image) });
  }
  displayBalloon(options: Record<string, unknown>): void {
    record('tray.displayBalloon', { options });
  }
  destroy(): void {
    this.destroyed = true;
    record('tray.destroy');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}
export const Tray = FakeTray;

const displays = (
  JSON.parse(process.env.FAKE_ELECTRON_DISPLAYS ?? '[{"x":0,"y":0,"width":1920,"height":1040}]') as Bounds[]
).map((workArea, i) => ({
  id: i + 1,
  bounds: { ...workArea, height: workArea.height + 40 },
  workArea,
  scaleFactor: 1,
}));
export const screen = Object.assign(new EventEmitter(), {
  getAllDisplays: () => displays,
  getPrimaryDisplay: () => displays[0],
});

export const powerMonitor = new EventEmitter();

const SAFE_PREFIX = 'FAKE-DPAPI:';
export const safeStorage = {
  isEncryptionAvailable: () => process.env.FAKE_ELECTRON_SAFE_STORAGE !== 'off',
  encryptString(plainText: string): Buffer {
    return Buffer.from(SAFE_PREFIX + Buffer.from(plainText, 'utf8').toString('hex'), 'latin1');
  },
  decryptString(encrypted: Buffer): string {
    const text = encrypted.toString('latin1');
    if (!text.startsWith(SAFE_PREFIX)) {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    }
    return Buffer.from(text.slice(SAFE_PREFIX.length), 'hex').toString('utf8');
  },
};

export const contextBridge = {
  exposeInMainWorld(): void {
    throw new Error('contextBridge is for preloads');
  },
};
export const ipcRenderer = new EventEmitter();

// ---- the test's commands ----

function windowById(id: unknown): FakeBrowserWindow {
  const w = windows.find((x) => x.id === id) ?? windows[windows.length - 1];
  if (!w) throw new Error('no window');
  return w;
}
function contentsById(id: unknown): FakeWebContents {
  const c = typeof id === 'number' ? allContents.get(id) : windowById(undefined).webContents;
  if (!c) throw new Error(`no web contents ${String(id)}`);
  return c;
}
function liveTray(): FakeTray {
  const t = trays.find((x) => !x.destroyed);
  if (!t) throw new Error('no tray');
  return t;
}

type Args = Record<string, unknown>;
const COMMANDS: Record<string, (args: Args) => unknown> = {
  snapshot: () => ({
    ready: app.isReady(),
    windows: windows.map((w) => w.describe()),
    tray: trays
      .filter((t) => !t.destroyed)
      .map((t) => ({ tooltip: t.tooltip, items: menuItems(t.menu), image: imageOf(t.image) }))[0],
    ipcChannels: [...ipcMain.handlers.keys()],
    protocols: [...protocolHandlers.keys()],
  }),
  /** Calls an IPC handler as a frame at `senderUrl` would. */
  async invoke({ channel, senderUrl, input }: Args) {
    const handler = ipcMain.handlers.get(String(channel));
    if (!handler) throw new Error(`No handler registered for '${String(channel)}'`);
    const sender = windowById(undefined).webContents;
    return handler({ sender, senderFrame: { url: senderUrl }, frameId: 1, processId: 1 }, input);
  },
  async fetch({ url, method }: Args) {
    const u = new URL(String(url));
    const handler = protocolHandlers.get(u.protocol.replace(/:$/, ''));
    if (!handler) throw new Error(`no handler for ${u.protocol}`);
    const res = await handler(new Request(String(url), { method: typeof method === 'string' ? method : 'GET' }));
    const body = await res.text();
    return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: body.slice(0, 4000) };
  },
  /** A new web contents that belongs to no window (as a devtools or webview one would). */
  createContents: () => {
    const c = new FakeWebContents(null);
    app.emit('web-contents-created', new FakeEvent(), c);
    return c.id;
  },
  navigate({ contentsId, url }: Args) {
    const event = new FakeEvent({ url });
    contentsById(contentsId).emit('will-navigate', event, url);
    return event.defaultPrevented;
  },
  redirect({ contentsId, url }: Args) {
    const event = new FakeEvent({ url, isMainFrame: true });
    contentsById(contentsId).emit('will-redirect', event, url);
    return event.defaultPrevented;
  },
  windowOpen({ contentsId, url }: Args) {
    const c = contentsById(contentsId);
    if (!c.windowOpenHandler) return { action: 'allow (no handler)' };
    return c.windowOpenHandler({ url, frameName: '', features: '', disposition: 'new-window', referrer: {} });
  },
  attachWebview({ contentsId }: Args) {
    const event = new FakeEvent();
    contentsById(contentsId).emit('will-attach-webview', event, {}, { src: 'https://example.com/' });
    return event.defaultPrevented;
  },
  permissionRequest({ permission }: Args) {
    const handler = defaultSession.requestHandler;
    if (!handler) return 'no handler';
    return new Promise((resolve) => handler(windowById(undefined).webContents, String(permission), resolve, {}));
  },
  permissionCheck({ permission, origin }: Args) {
    const handler = defaultSession.checkHandler;
    if (!handler) return 'no handler';
    return handler(windowById(undefined).webContents, String(permission), String(origin), {});
  },
  contentsEmit({ contentsId, event, args }: Args) {
    contentsById(contentsId).emit(String(event), new FakeEvent(), ...((args as unknown[]) ?? []));
    return true;
  },
  windowEmit({ windowId, event }: Args) {
    windowById(windowId).emit(String(event), new FakeEvent());
    return true;
  },
  windowClose({ windowId }: Args) {
    const w = windowById(windowId);
    w.close();
    return w.isDestroyed();
  },
  windowSetBounds({ windowId, bounds }: Args) {
    windowById(windowId).setBounds(bounds as Partial<Bounds>);
    return true;
  },
  windowMinimize({ windowId }: Args) {
    windowById(windowId).minimize();
    return true;
  },
  appEmit({ event, args }: Args) {
    app.emit(String(event), new FakeEvent(), ...((args as unknown[]) ?? []));
    return true;
  },
  appQuit() {
    app.quit();
    return true;
  },
  powerEmit({ event }: Args) {
    powerMonitor.emit(String(event), new FakeEvent());
    return true;
  },
  trayClick() {
    liveTray().emit('click', new FakeEvent(), {});
    return true;
  },
  trayMenuClick({ label }: Args) {
    const item = liveTray().menu?.items.find((i) => i.label === label);
    if (!item?.click) throw new Error(`no menu item ${String(label)}`);
    item.click();
    return true;
  },
  answerDialog({ id, response }: Args) {
    const answer = dialogAnswers.get(Number(id));
    if (!answer) throw new Error(`no open dialog ${String(id)}`);
    dialogAnswers.delete(Number(id));
    answer(Number(response));
    return true;
  },
};

process.on('message', (m: ToChild) => {
  if (m?.type !== 'command') return;
  const run = COMMANDS[m.op];
  Promise.resolve()
    .then(() => {
      if (!run) throw new Error(`unknown command ${m.op}`);
      return run(m.args ?? {});
    })
    .then(
      (value) => send({ type: 'reply', id: m.id, ok: true, value: plain(value) }),
      (e: unknown) => send({ type: 'reply', id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
});

export default {
  app,
  BrowserWindow,
  webContents,
  session,
  protocol,
  ipcMain,
  dialog,
  shell,
  nativeImage,
  Menu,
  Tray,
  screen,
  powerMonitor,
  safeStorage,
  contextBridge,
  ipcRenderer,
};
