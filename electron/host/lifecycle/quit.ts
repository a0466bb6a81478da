/**
 * How the console ends. Quitting while records wait to be sent (the tray's 退出, or any other app.quit) asks first
 * and says how many; the person may stay (the window goes to the tray and sending goes on). The OS shutting down or
 * the user logging off never asks: nobody would answer. Either way the end is the orderly shutdown (shutdownWithin:
 * every step runs, the backend closes, a deadline ends the process anyway).
 */
import type { App, BrowserWindow, Dialog, MessageBoxOptions } from 'electron';
import { logWarn } from '../../services/logger.ts';
import { type ShutdownStep, shutdownWithin, SHUTDOWN_DEADLINE_MS } from '../../services/shutdown.ts';

export const STAY_BUTTON = '留在后台继续上传';
export const QUIT_BUTTON = '仍然退出';
const QUIT_ANYWAY = 1;

export function quitQuestion(pending: number): MessageBoxOptions {
  return {
    type: 'warning',
    title: '退出岗亭控制台',
    message: `还有 ${pending} 条记录未上传, 退出后要等下次打开控制台才会继续上传。`,
    detail: '选择“留在后台继续上传”: 窗口关闭, 控制台在屏幕右下角的托盘中继续上传, 传完后再退出。',
    buttons: [STAY_BUTTON, QUIT_BUTTON],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
}

export interface QuitFlowDeps {
  app: Pick<App, 'on' | 'exit'>;
  dialog: Pick<Dialog, 'showMessageBox'>;
  /** Records not yet uploaded, asked when quitting. Never rejects. */
  pending(): Promise<number>;
  window(): BrowserWindow | null;
  /** The person chose to stay: the window goes to the tray. */
  stayInTray(): void;
  /** The orderly shutdown's steps, in order (the backend's close among them). */
  steps(): readonly ShutdownStep[];
  deadlineMs?: number;
}

export interface QuitFlow {
  /** Shutting down: windows may close without going to the tray. */
  readonly ending: boolean;
  /** The OS is shutting down or the user logging off: no question, the orderly shutdown now. */
  sessionEnding(why: string): void;
}

type Phase = 'running' | 'asking' | 'shutting-down';

export function createQuitFlow(deps: QuitFlowDeps): QuitFlow {
  let phase: Phase = 'running';
  let sessionEnds = false;

  function shutdown(): void {
    if (phase === 'shutting-down') return;
    phase = 'shutting-down';
    void shutdownWithin(deps.steps(), (code) => deps.app.exit(code), deps.deadlineMs ?? SHUTDOWN_DEADLINE_MS);
  }

  async function decide(): Promise<void> {
    phase = 'asking';
    const pending = await deps.pending();
    if (pending > 0 && !sessionEnds) {
      const win = deps.window();
      const options = quitQuestion(pending);
      const { response } = await (win ? deps.dialog.showMessageBox(win, options) : deps.dialog.showMessageBox(options));
      // The session may have ended while the box was open: the shutdown has started already.
      if (phase !== 'asking') return;
      if (response !== QUIT_ANYWAY) {
        phase = 'running';
        deps.stayInTray();
        return;
      }
    }
    shutdown();
  }

  deps.app.on('before-quit', (event) => {
    // Electron's own quitting would close the windows at once; the shutdown ends the app itself (app.exit).
    event.preventDefault();
    if (phase !== 'running') return;
    decide().catch((e: unknown) => {
      // The question could not be shown: quit as asked rather than keep a console nobody can close.
      logWarn('quit.ask', e instanceof Error ? e.message : String(e));
      shutdown();
    });
  });

  return {
    get ending() {
      return phase === 'shutting-down';
    },
    sessionEnding(why) {
      logWarn('quit.session-end', `${why}: 正在关闭控制台`);
      sessionEnds = true;
      shutdown();
    },
  };
}
