/** The console's shared state: the shift, the settings, the status bar; kept current by the event stream. */
import { create } from 'zustand';
import type { ConsoleEvent, ConsoleStatus, Session } from '../../shared/contract/api.ts';
import type { HostNotice } from '../../shared/contract/host.ts';
import type { PublicSettings } from '../../shared/contract/settings.ts';
import { reachedPlatform } from '../../shared/contract/api.ts';
import { api, binding } from '../binding.ts';
import { setParkZone } from '../time.ts';

interface ConsoleState {
  ready: boolean;
  loadError: string | null;
  session: Session | null;
  settings: PublicSettings | null;
  status: ConsoleStatus | null;
  /** When `status` was read, so that the oldest wait can keep ageing between events. */
  statusAt: number;
  /** Bumped on every record event, so that lists can refresh. */
  recordVersion: number;
  /** The newest thing the host did on its own (backend restarted, page reloaded) until dismissed: the status bar's. */
  hostNotice: HostNotice | null;
  dismissHostNotice(): void;
  init(): Promise<void>;
  refresh(): Promise<void>;
  setSession(session: Session): void;
  setSettings(settings: PublicSettings): void;
}

export const useConsole = create<ConsoleState>((set, get) => ({
  ready: false,
  loadError: null,
  session: null,
  settings: null,
  status: null,
  statusAt: 0,
  recordVersion: 0,
  hostNotice: null,
  dismissHostNotice() {
    const shown = get().hostNotice;
    if (shown) rememberDismissed(shown);
    set({ hostNotice: null });
  },

  async refresh() {
    const [session, settings, status] = await Promise.all([api.getSession(), api.getSettings(), api.getStatus()]);
    void loadHostNotices();
    if (!session.ok || !settings.ok || !status.ok) {
      const error = [session, settings, status].find((r) => !r.ok);
      set({ loadError: error && !error.ok ? error.error.message : '无法读取状态' });
      return;
    }
    setParkZone(settings.value.timeZone);
    set({
      session: session.value,
      settings: settings.value,
      status: status.value,
      statusAt: Date.now(),
      loadError: null,
      ready: true,
    });
  },

  async init() {
    api.onEvent((e) => onEvent(e));
    binding.onReconnect(() => void get().refresh());
    await get().refresh();
  },

  setSession: (session) => set({ session }),
  setSettings: (settings) => {
    setParkZone(settings.timeZone);
    set({ settings });
  },
}));

/**
 * The last notice the person dismissed: it and older ones are not shown again (a refresh asks for all of them). Kept in
 * the window's sessionStorage, so that a reloaded page (by the person, or by the host after a crash) does not bring
 * it back; a newer one (that reload's own notice) is shown.
 */
const DISMISSED_KEY = 'booth.dismissedHostNotice';
let dismissedNotice: HostNotice | null = readDismissed();

function readDismissed(): HostNotice | null {
  try {
    const raw = sessionStorage.getItem(DISMISSED_KEY);
    const n = raw ? (JSON.parse(raw) as Partial<HostNotice>) : null;
    return n && typeof n.id === 'number' && typeof n.at === 'number' ? (n as HostNotice) : null;
  } catch {
    // No storage (blocked) or a value that does not parse: nothing was dismissed, the newest notice shows again.
    return null;
  }
}

function rememberDismissed(notice: HostNotice): void {
  dismissedNotice = notice;
  try {
    sessionStorage.setItem(DISMISSED_KEY, JSON.stringify({ id: notice.id, at: notice.at }));
  } catch {
    // No storage: dismissed for this page only (a reload may show it again).
  }
}

function newer(a: HostNotice, b: HostNotice | null): boolean {
  return b === null || a.at > b.at || (a.at === b.at && a.id > b.id);
}

/** Shows a notice when it is newer than the one shown and than the one dismissed. */
function showHostNotice(notice: HostNotice): void {
  if (!newer(notice, dismissedNotice)) return;
  useConsole.setState((s) => (newer(notice, s.hostNotice) ? { hostNotice: notice } : s));
}

/** The host's notices so far (at start, and again after a reconnect: the page may have missed their events). */
async function loadHostNotices(): Promise<void> {
  const r = await api.hostNotices();
  // Not answered (the host is gone for now): the next refresh asks again; the status bar says nothing meanwhile.
  if (!r.ok) return;
  for (const n of r.value) showHostNotice(n);
}

const eventListeners = new Set<(e: ConsoleEvent) => void>();

/** Screens that keep their own lists (the push log) listen here. */
export function onConsoleEvent(listener: (e: ConsoleEvent) => void): () => void {
  eventListeners.add(listener);
  return () => eventListeners.delete(listener);
}

function onEvent(e: ConsoleEvent): void {
  const set = useConsole.setState;
  switch (e.type) {
    case 'session':
      set({ session: e.session });
      break;
    case 'settings':
      setParkZone(e.settings.timeZone);
      set((s) => ({ settings: e.settings, status: s.status ? { ...s.status, target: e.target } : s.status }));
      break;
    case 'status':
      set((s) => ({ status: s.status ? { ...s.status, queue: e.status } : s.status, statusAt: Date.now() }));
      break;
    case 'log':
      set((s) => ({
        status: s.status ? { ...s.status, online: reachedPlatform(e.row), lastAttemptAt: e.row.at } : s.status,
      }));
      break;
    case 'record':
      set((s) => ({ recordVersion: s.recordVersion + 1 }));
      break;
    case 'host':
      showHostNotice(e.notice);
      break;
  }
  for (const l of eventListeners) l(e);
}

export const useZone = () => useConsole((s) => s.settings?.timeZone ?? 'Asia/Shanghai');
export const useIsManager = () => useConsole((s) => s.session?.manager === true);
