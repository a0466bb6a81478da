/** The console's shared state: the shift, the settings, the status bar; kept current by the event stream. */
import { create } from 'zustand';
import type { ConsoleEvent, ConsoleStatus, Session } from '../../shared/contract/api.ts';
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

  async refresh() {
    const [session, settings, status] = await Promise.all([api.getSession(), api.getSettings(), api.getStatus()]);
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
  }
  for (const l of eventListeners) l(e);
}

export const useZone = () => useConsole((s) => s.settings?.timeZone ?? 'Asia/Shanghai');
export const useIsManager = () => useConsole((s) => s.session?.manager === true);
