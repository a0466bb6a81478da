/**
 * The host's own preferences, in electron-store (`<userData>/preferences.json`): where the window was and how large.
 * The console's settings are not here: the backend keeps them in `<userData>/settings.json` (conf, electron-store's
 * base), the same file in both hosts. A saved place is used only when it is still on a display that is connected
 * now (a booth PC whose second screen was removed must not open the console off-screen).
 */
import type { BrowserWindow, Rectangle } from 'electron';
import Store from 'electron-store';
import { z } from 'zod';
import { logError } from '../services/logger.ts';

export const WINDOW_DEFAULT = { width: 1440, height: 900 };
export const WINDOW_MIN = { width: 1024, height: 700 };

const placeSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(WINDOW_MIN.width).max(20_000),
  height: z.number().int().min(WINDOW_MIN.height).max(20_000),
  maximized: z.boolean(),
});
export type WindowPlace = z.output<typeof placeSchema>;

export interface Preferences {
  /** The saved place, unchecked against the displays (see placeOnDisplays). */
  windowPlace(): WindowPlace | null;
  saveWindowPlace(place: WindowPlace): void;
}

/** Where nothing is remembered: the preferences file could not be opened at all (logged). */
function memoryStore(): Pick<Store<Record<string, unknown>>, 'get' | 'set'> {
  const values = new Map<string, unknown>();
  return {
    get: (key: string) => values.get(key),
    set: (key: string, value: unknown) => void values.set(key, value),
  } as Pick<Store<Record<string, unknown>>, 'get' | 'set'>;
}

export function openPreferences(): Preferences {
  let store: Pick<Store<Record<string, unknown>>, 'get' | 'set'>;
  try {
    // Only the window's place lives here: a file a power cut left empty or half-written is started afresh
    // (clearInvalidConfig), never a reason for the console not to start.
    store = new Store<Record<string, unknown>>({ name: 'preferences', clearInvalidConfig: true });
  } catch (e) {
    // Not even a fresh file (a read-only folder): the window opens at its default size; records are not affected.
    logError('preferences.open', e);
    store = memoryStore();
  }
  return {
    windowPlace() {
      try {
        const parsed = placeSchema.safeParse(store.get('window'));
        return parsed.success ? parsed.data : null;
      } catch (e) {
        // an unreadable preferences file: the window opens at its default size, the file is rewritten on close
        logError('preferences.read', e);
        return null;
      }
    },
    saveWindowPlace(place) {
      try {
        store.set('window', place);
      } catch (e) {
        // a full or read-only disk: the window's place is not remembered this time, nothing else depends on it
        logError('preferences.write', e);
      }
    },
  };
}

/**
 * The saved place when the whole window lies on one of the displays' work areas now (a few pixels of Windows'
 * invisible resize border allowed), else null: the window then opens at its default size, centred.
 */
export function placeOnDisplays(place: WindowPlace | null, workAreas: readonly Rectangle[]): WindowPlace | null {
  if (!place) return null;
  const slack = 16;
  const fits = workAreas.some(
    (a) =>
      place.x >= a.x - slack &&
      place.y >= a.y - slack &&
      place.x + place.width <= a.x + a.width + slack &&
      place.y + place.height <= a.y + a.height + slack,
  );
  return fits ? place : null;
}

/** The size a window opens at without a saved place: 1440×900, or the whole work area of a smaller screen. */
export function defaultSize(workArea: Rectangle): { width: number; height: number } {
  return {
    width: Math.max(WINDOW_MIN.width, Math.min(WINDOW_DEFAULT.width, workArea.width)),
    height: Math.max(WINDOW_MIN.height, Math.min(WINDOW_DEFAULT.height, workArea.height)),
  };
}

/** Where the window is now (its normal bounds when maximized), or null when it is minimized or gone. */
export function placeOf(win: BrowserWindow): WindowPlace | null {
  if (win.isDestroyed() || win.isMinimized()) return null;
  const b = win.getNormalBounds();
  const place = {
    x: Math.round(b.x),
    y: Math.round(b.y),
    width: Math.round(b.width),
    height: Math.round(b.height),
    maximized: win.isMaximized(),
  };
  return placeSchema.safeParse(place).success ? place : null;
}

/**
 * Saves the window's place after it moved or was resized (debounced), and at once when it closes. Returns the save,
 * for the shutdown (app.exit closes windows without their close event).
 */
export function rememberWindowPlace(win: BrowserWindow, prefs: Preferences, debounceMs = 500): () => void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    const place = placeOf(win);
    if (place) prefs.saveWindowPlace(place);
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, debounceMs);
  };
  win.on('move', later);
  win.on('resize', later);
  win.on('maximize', later);
  win.on('unmaximize', later);
  win.on('close', save);
  return save;
}
