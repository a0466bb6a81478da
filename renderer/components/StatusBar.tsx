/** On every screen: where records go (沙箱 badge), online or not, waiting count, oldest wait, last success. */
import { Badge, Tag } from 'antd';
import { useEffect, useState } from 'react';
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

export function StatusBar() {
  const status = useConsole((s) => s.status);
  const statusAt = useConsole((s) => s.statusAt);
  const zone = useZone();
  const now = useNow(5000);
  if (!status) return null;
  const { queue, target, online } = status;
  const waiting = queue.counts.waiting + queue.counts.sending;
  return (
    <footer className="booth-statusbar" data-testid="status-bar">
      {target.sandbox ? (
        <span className="sandbox-badge" title="记录只发往本机的沙箱平台, 不会到达 P云" data-testid="sandbox-badge">
          沙箱
        </span>
      ) : (
        <Tag color={target.platform === 'production' ? 'green' : 'blue'} style={{ fontSize: 16, padding: '4px 10px' }}>
          {target.label}
          {target.mode === 'integration' ? ' · 联调模式' : ''}
        </Tag>
      )}
      <span className="item mono" style={{ color: '#555' }}>
        {target.baseUrl || '(未设置地址)'}
      </span>
      <span className="item" data-testid="status-online">
        {online === null ? (
          <Badge status="default" text="尚未上传" />
        ) : online ? (
          <Badge status="success" text="在线" />
        ) : (
          <Badge status="error" text="离线" />
        )}
      </span>
      {queue.paused ? (
        <Tag color="red" style={{ fontSize: 16, padding: '4px 10px' }}>
          已暂停
        </Tag>
      ) : null}
      <span className="item" data-testid="status-waiting">
        待上传 <b>{waiting}</b>
      </span>
      {queue.counts.attention > 0 ? (
        <span className="item" style={{ color: '#cf1322' }}>
          需处理 <b>{queue.counts.attention}</b>
        </span>
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
        最近成功 {queue.lastSuccessAt === null ? '—' : <b>{formatLocal(queue.lastSuccessAt, zone).slice(5)}</b>}
      </span>
    </footer>
  );
}
