/** The cars just entered: 已保存 at once, 已上传 (with the platform's seqno) when accepted. */
import { Card, Empty, Tag, Typography } from 'antd';
import type { QueuedRecord } from '../../shared/contract/queue.ts';
import { useSavedStore, type SavedRelease } from '../stores/saved.ts';
import { formatLocal } from '../time.ts';

export function useSaved() {
  const saved = useSavedStore((s) => s.saved);
  const add = useSavedStore((s) => s.add);
  return { saved, add };
}

function stateOf(r: QueuedRecord | null): { text: string; color: string; detail?: string } {
  if (!r) return { text: '已保存', color: 'blue' };
  switch (r.state) {
    case 'accepted':
      return { text: '已上传', color: 'green', detail: r.last.seqno ? `seqno ${r.last.seqno}` : undefined };
    case 'attention':
      return { text: '需处理', color: 'red', detail: r.last.hint ?? r.last.message ?? undefined };
    case 'cancelled':
      return { text: '已作废', color: 'default', detail: r.cancelReason ?? undefined };
    case 'sending':
      return { text: '已保存 · 上传中', color: 'processing' };
    case 'waiting':
      return r.attempts > 0
        ? {
            text: `已保存 · 等待重试 (第 ${r.attempts} 次未成功)`,
            color: 'orange',
            detail: r.last.error ?? r.last.message ?? undefined,
          }
        : { text: '已保存', color: 'blue' };
  }
}

export function SavedList({ saved, zone }: { saved: SavedRelease[]; zone: string }) {
  const latest = saved[0];
  const latestState = latest ? stateOf(latest.record) : null;
  return (
    <Card title={<span style={{ fontSize: 20 }}>刚登记的车辆</span>}>
      {latest && latestState ? (
        <div
          style={{
            marginBottom: 16,
            padding: 16,
            borderRadius: 8,
            background: latestState.color === 'green' ? '#f6ffed' : latestState.color === 'red' ? '#fff1f0' : '#e6f4ff',
          }}
          data-testid="save-state"
        >
          <div style={{ fontSize: 26, fontWeight: 700 }}>
            {latest.plate} <span data-testid="save-state-text">{latestState.text}</span>
          </div>
          <div className="mono" style={{ color: '#555' }}>
            flow_no {latest.flowNo}
          </div>
          {latestState.detail ? (
            <Typography.Text
              copyable={latest.record?.last.seqno ? { text: latest.record.last.seqno } : false}
              data-testid="save-state-detail"
            >
              {latestState.detail}
            </Typography.Text>
          ) : null}
        </div>
      ) : null}
      {saved.length === 0 ? (
        <Empty description="本次尚未登记" />
      ) : (
        <div>
          {saved.map((s) => {
            const st = stateOf(s.record);
            return (
              <div
                key={s.id}
                style={{
                  display: 'flex',
                  justifyContent: 'space-between',
                  alignItems: 'center',
                  padding: '8px 0',
                  borderBottom: '1px solid #f0f0f0',
                }}
              >
                <span>
                  <b>{s.plate}</b> <span style={{ color: '#888' }}>{formatLocal(s.savedAt, zone).slice(11)}</span>
                </span>
                <Tag color={st.color} style={{ fontSize: 15 }}>
                  {st.text}
                </Tag>
              </div>
            );
          })}
        </div>
      )}
    </Card>
  );
}
