/**
 * The notification-area icon: how many records wait to be sent and whether sending is paused, in the icon
 * (tray-icons.ts), its tooltip and its menu (打开控制台, 待上传 N 条, 退出). A balloon says when sending pauses for a
 * settings problem (the platform refused the credentials, or they are missing), once, when it happens.
 */
import type { Menu as MenuType, MenuItemConstructorOptions, NativeImage, Tray as TrayType } from 'electron';
import type { PauseReason, QueueStatus } from '../../shared/contract/queue.ts';
import { TRAY_ICON_PIXELS, type TrayLook, trayIconPng } from './tray-icons.ts';

/** What the tray shows, from the backend's QueueStatus. */
export interface TrayState {
  /** Records not yet uploaded: waiting, and in flight. */
  pending: number;
  paused: PauseReason | null;
}

export function trayStateOf(status: QueueStatus): TrayState {
  return { pending: status.counts.waiting + status.counts.sending, paused: status.paused };
}

export function trayTooltip(state: TrayState): string {
  return `岗亭控制台 · 待上传 ${state.pending} 条${state.paused ? ' · 上传已暂停' : ''}`;
}

export function trayLook(state: TrayState): TrayLook {
  if (state.paused) return 'paused';
  return state.pending > 0 ? 'waiting' : 'normal';
}

/** A pause that a manager fixes in 设置 (not one a manager chose). */
function settingsProblem(paused: PauseReason | null): Extract<PauseReason, { kind: 'auth' | 'config' }> | null {
  return paused && (paused.kind === 'auth' || paused.kind === 'config') ? paused : null;
}

export interface TrayDeps {
  Tray: typeof TrayType;
  Menu: Pick<typeof MenuType, 'buildFromTemplate'>;
  image(png: Buffer, scaleFactor: number): NativeImage;
  /** 打开控制台, and a click on the icon. */
  open(): void;
  /** 退出 (which asks first when records wait: lifecycle/quit.ts). */
  quit(): void;
}

export interface TrayController {
  update(state: TrayState): void;
  state(): TrayState;
  destroy(): void;
}

export function createTray(deps: TrayDeps): TrayController {
  let state: TrayState = { pending: 0, paused: null };
  let look: TrayLook = trayLook(state);
  const icon = (l: TrayLook) => deps.image(trayIconPng(l), TRAY_ICON_PIXELS / 16);
  const tray = new deps.Tray(icon(look));

  function render(): void {
    tray.setToolTip(trayTooltip(state));
    const template: MenuItemConstructorOptions[] = [
      { label: '打开控制台', click: () => deps.open() },
      { label: `待上传 ${state.pending} 条`, enabled: false },
      ...(state.paused ? [{ label: '上传已暂停', enabled: false }] : []),
      { type: 'separator' },
      { label: '退出', click: () => deps.quit() },
    ];
    tray.setContextMenu(deps.Menu.buildFromTemplate(template));
    const next = trayLook(state);
    if (next !== look) {
      look = next;
      tray.setImage(icon(look));
    }
  }

  tray.on('click', () => deps.open());
  render();

  return {
    update(next) {
      const problem = settingsProblem(next.paused);
      const wasProblem = settingsProblem(state.paused);
      const changed = trayTooltip(next) !== trayTooltip(state) || trayLook(next) !== trayLook(state);
      state = next;
      if (changed) render();
      if (problem && !wasProblem) {
        const why = problem.message.replace(/[。.!！\s]+$/u, '').slice(0, 120);
        tray.displayBalloon({
          iconType: 'warning',
          title: '上传已暂停',
          content: `${why}。记录已保存, 请管理员在 设置 中检查平台地址和密钥, 改好后自动继续上传。`,
        });
      }
    },
    state: () => state,
    destroy() {
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
