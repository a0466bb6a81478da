/**
 * 开机自动启动 (a manager setting, `startAtLogin`): the console is registered to start at login with `--hidden`, so
 * that it starts in the tray and sends what waits without a window in the guard's way. Applied at start and whenever
 * the settings change it.
 */
import type { App } from 'electron';
import type { PublicSettings } from '../../shared/contract/settings.ts';
import { logError } from '../services/logger.ts';

export const HIDDEN_FLAG = '--hidden';

/** Whether the settings ask to start at login (anything but a plain true, as from a damaged file, means no). */
export function startAtLoginOf(settings: PublicSettings): boolean {
  return settings.startAtLogin === true;
}

/** Whether this run was started in the tray (at login, or by hand with --hidden). */
export function startedHidden(argv: readonly string[]): boolean {
  return argv.includes(HIDDEN_FLAG);
}

export interface LoginItem {
  /** Registers or unregisters the console at login, when the setting differs from what was applied last. */
  apply(settings: PublicSettings): void;
}

export function loginItem(app: Pick<App, 'setLoginItemSettings' | 'isPackaged' | 'getAppPath'>): LoginItem {
  let applied: boolean | null = null;
  return {
    apply(settings) {
      const openAtLogin = startAtLoginOf(settings);
      if (openAtLogin === applied) return;
      // Unpackaged (a developer's `electron .`), the executable is electron itself: it needs the app's folder too.
      const args = app.isPackaged ? [HIDDEN_FLAG] : [app.getAppPath(), HIDDEN_FLAG];
      try {
        app.setLoginItemSettings({ openAtLogin, args });
        applied = openAtLogin;
      } catch (e) {
        // The OS refused (a locked-down registry): the console runs as before; the next settings change tries again.
        logError('login-item', e);
      }
    },
  };
}
