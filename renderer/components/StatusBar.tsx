/**
 * On every screen, fixed at the bottom: where records go, in words (练习模式 · 不会上传, 联调环境, 正式环境), online
 * or not, waiting count, oldest wait, last success. No addresses: those are in the settings and the log's detail.
 * Above them, when the host did something on its own (the backend restarted, the page reloaded), the newest such
 * notice with its time, until the person dismisses it.
 *
 * It also keeps whatever takes the focus above itself: its height goes to `--statusbar-h` (the page's
 * scroll-padding-bottom), and a focused element that ends under it is scrolled up.
 */
import { Button } from 'antd';
import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { Target } from '../../shared/contract/api.ts';
import type { HostNotice } from '../../shared/contract/host.ts';
import { BADGE_COLORS, type BadgeColors } from '../labels.ts';
import { useConsole, useZone } from '../stores/console.ts';
import { formatAge, formatLocal } from '../time.ts';

function useNow(ms: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/** Where records go, in words, and the badge colours for it. */
export function whereWords(target: Pick<Target, 'platform' | 'sandbox'>): {
  text: string;
  title: string;
  colors: BadgeColors;
} {
  if (target.sandbox || target.platform === 'sandbox')
    return {
      text: '练习模式 · 不会上传',
      title: '记录只发往本机内置的练习平台, 不会到达 P云',
      colors: BADGE_COLORS.sandbox,
    };
  switch (target.platform) {
    case 'integration':
      return {
        text: '联调环境 · 非正式',
        title: '记录发往厂商的联调 (测试) 环境, 不是正式的 P云',
        colors: BADGE_COLORS.integration,
      };
    case 'production':
      return { text: '正式环境', title: '记录上传到正式的 P云', colors: BADGE_COLORS.production };
    default:
      return { text: '自定义地址', title: '记录发往管理员设置的地址', colors: BADGE_COLORS.custom };
  }
}

function Badge({ colors, children, ...rest }: { colors: BadgeColors; children: ReactNode; [k: string]: unknown }) {
  return (
    <span className="state-badge" style={{ color: colors.color, background: colors.background }} {...rest}>
      {children}
    </span>
  );
}

/** Keeps a focused element fully above the bar (the browser's own scrolling may leave it under a fixed footer). */
function useKeepFocusAbove(bar: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const el = bar.current;
    if (!el) return;
    const root = document.documentElement;
    const measure = () => root.style.setProperty('--statusbar-h', `${Math.ceil(el.getBoundingClientRect().height)}px`);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    const onFocus = (e: FocusEvent) => {
      const target = e.target;
      if (!(target instanceof HTMLElement) || el.contains(target)) return;
      requestAnimationFrame(() => {
        if (document.activeElement !== target) return;
        // A hidden radio input stands for its button.
        const box = (target.closest('label') ?? target).getBoundingClientRect();
        const barTop = el.getBoundingClientRect().top;
        if (box.bottom > barTop - 8) window.scrollBy({ top: box.bottom - barTop + 16 });
        else if (box.top < 0) window.scrollBy({ top: box.top - 12 });
      });
    };
    document.addEventListener('focusin', onFocus);
    return () => {
      ro.disconnect();
      document.removeEventListener('focusin', onFocus);
      root.style.removeProperty('--statusbar-h');
    };
  }, [bar]);
}

/** Warning colours (a restart that lost nothing); error colours when the host could not recover. Both ≥ 4.5:1. */
const NOTICE_STYLES: Record<'warning' | 'error', { color: string; background: string; border: string }> = {
  warning: { color: '#612500', background: '#fff1b8', border: '#d46b08' },
  error: { color: '#820014', background: '#fff1f0', border: '#cf1322' },
};

function HostNoticeLine({ notice, zone, onDismiss }: { notice: HostNotice; zone: string; onDismiss: () => void }) {
  const look = NOTICE_STYLES[notice.kind === 'backend-failed' ? 'error' : 'warning'];
  return (
    <div
      role="alert"
      data-testid="host-notice"
      data-kind={notice.kind}
      style={{
        flexBasis: '100%',
        display: 'flex',
        alignItems: 'center',
        gap: 12,
        padding: '4px 12px',
        color: look.color,
        background: look.background,
        borderLeft: `6px solid ${look.border}`,
        borderRadius: 4,
        fontSize: 16,
      }}
    >
      <b style={{ whiteSpace: 'nowrap' }} data-testid="host-notice-time">
        ⚠ {formatLocal(notice.at, zone).slice(5, 16)}
      </b>
      <span style={{ flex: 1 }} data-testid="host-notice-message">
        {notice.message}
      </span>
      <Button size="small" onClick={onDismiss} data-testid="host-notice-dismiss" aria-label="知道了, 关闭此提示">
        知道了
      </Button>
    </div>
  );
}

export function StatusBar() {
  const status = useConsole((s) => s.status);
  const statusAt = useConsole((s) => s.statusAt);
  const notice = useConsole((s) => s.hostNotice);
  const dismissNotice = useConsole((s) => s.dismissHostNotice);
  const zone = useZone();
  const now = useNow(5000);
  const bar = useRef<HTMLElement>(null);
  useKeepFocusAbove(bar);
  if (!status) return null;
  const { queue, target, online } = status;
  const waiting = queue.counts.waiting + queue.counts.sending;
  const where = whereWords(target);
  return (
    <footer className="booth-statusbar" data-testid="status-bar" ref={bar}>
      {notice ? <HostNoticeLine notice={notice} zone={zone} onDismiss={dismissNotice} /> : null}
      <Badge
        colors={where.colors}
        title={where.title}
        data-testid={target.sandbox ? 'sandbox-badge' : 'target-badge'}
        data-platform={target.platform}
      >
        {where.text}
      </Badge>
      <span className="item" data-testid="status-online">
        {online === null ? (
          '尚未上传'
        ) : online ? (
          <span style={{ color: '#135200', fontWeight: 700 }}>● 在线</span>
        ) : (
          <Badge colors={BADGE_COLORS.offline}>离线</Badge>
        )}
      </span>
      {queue.paused ? (
        <Badge colors={BADGE_COLORS.paused} data-testid="status-paused">
          已暂停
        </Badge>
      ) : null}
      <span className="item" data-testid="status-waiting">
        待上传 <b>{waiting}</b>
      </span>
      {queue.counts.attention > 0 ? (
        <Badge colors={BADGE_COLORS.attention} data-testid="status-attention">
          需处理 {queue.counts.attention}
        </Badge>
      ) : null}
      <span className="item">
        最久等待{' '}
        {queue.oldestWaitingMs === null ? (
          '—'
        ) : (
          <b data-testid="status-oldest">{formatAge(queue.oldestWaitingMs + Math.max(0, now - statusAt))}</b>
        )}
      </span>
      <span className="item">
        最近成功 {queue.lastSuccessAt === null ? '—' : <b>{formatLocal(queue.lastSuccessAt, zone).slice(5, 16)}</b>}
      </span>
    </footer>
  );
}
