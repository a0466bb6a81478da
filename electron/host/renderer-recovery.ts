/**
 * The window's page crashing (or being killed, or running out of memory) loses no record: records are saved by the
 * backend before the page hears of them. The page is logged, reloaded, and the status bar says what happened (a host
 * notice). A page that dies again and again is not reloaded in a loop: after the third time within a minute a box
 * says so and offers to try again or to quit. A page that stops answering is logged.
 */
import type { BrowserWindow, Dialog, RenderProcessGoneDetails } from 'electron';
import type { HostNotice } from '../../shared/contract/host.ts';
import { logError, logWarn } from '../services/logger.ts';

export const CRASH_LIMIT = 3;
export const CRASH_WINDOW_MS = 60_000;

const REASONS: Record<RenderProcessGoneDetails['reason'], string> = {
  'clean-exit': '界面进程已退出',
  'abnormal-exit': '界面进程异常退出',
  killed: '界面进程被结束',
  crashed: '界面进程崩溃',
  oom: '内存不足',
  'launch-failed': '界面进程无法启动',
  'integrity-failure': '程序文件完整性检查失败',
  'memory-eviction': '内存不足被系统回收',
};

export function crashReason(details: Pick<RenderProcessGoneDetails, 'reason' | 'exitCode'>): string {
  return `${REASONS[details.reason] ?? details.reason}, 退出码 ${details.exitCode}`;
}

export interface RecoveryDeps {
  dialog: Pick<Dialog, 'showMessageBox'>;
  notify(kind: HostNotice['kind'], message: string): unknown;
  /** Shutting down: a page gone now is not brought back. */
  ending(): boolean;
  quit(): void;
  now?: () => number;
}

export function recoverRenderer(win: BrowserWindow, deps: RecoveryDeps): void {
  const now = deps.now ?? Date.now;
  let deaths: number[] = [];
  const contents = win.webContents;

  async function giveUp(reason: string): Promise<void> {
    const { response } = await deps.dialog.showMessageBox(win, {
      type: 'error',
      title: '岗亭控制台',
      message: `界面在一分钟内意外退出了 ${CRASH_LIMIT} 次 (${reason}), 已停止自动重新载入。`,
      detail:
        '已保存的记录不受影响, 上传仍在后台继续。可以点“重新载入”再试一次; 若仍然如此, 请退出后重新打开控制台, ' +
        '并在 设置 中导出运行日志交给厂商技术支持。',
      buttons: ['重新载入', '退出控制台'],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    });
    if (win.isDestroyed()) return;
    if (response === 1) {
      deps.quit();
      return;
    }
    deaths = [];
    deps.notify('renderer-reloaded', `界面多次意外退出 (${reason}), 已按要求重新载入; 已保存的记录不受影响`);
    contents.reload();
  }

  contents.on('render-process-gone', (_event, details) => {
    const reason = crashReason(details);
    logError('renderer.gone', reason);
    if (deps.ending() || win.isDestroyed()) return;
    const at = now();
    deaths = [...deaths.filter((t) => at - t < CRASH_WINDOW_MS), at];
    if (deaths.length >= CRASH_LIMIT) {
      giveUp(reason).catch((e: unknown) => logError('renderer.give-up', e));
      return;
    }
    deps.notify('renderer-reloaded', `界面意外退出 (${reason}), 已重新载入; 已保存的记录不受影响`);
    contents.reload();
  });
  contents.on('unresponsive', () => logWarn('renderer.unresponsive', '界面无响应'));
  contents.on('responsive', () => logWarn('renderer.responsive', '界面已恢复响应'));
  contents.on('preload-error', (_event, path, error) => logError('renderer.preload', `${path}: ${error.message}`));
}
