/**
 * The cars just entered: a large confirmation of the newest (粤B12345 已保存, then 已上传) at the top of the
 * release screen, and the list of this run's cars. Words only: no keys, platform numbers or addresses (those are in
 * the log's detail for managers and support).
 */
import { Card, Empty, Tag } from 'antd';
import type { QueuedRecord } from '../../shared/contract/queue.ts';
import { useSavedStore, type SavedRelease } from '../stores/saved.ts';
import { formatLocal } from '../time.ts';

export function useSaved() {
  const saved = useSavedStore((s) => s.saved);
  const add = useSavedStore((s) => s.add);
  return { saved, add };
}

type Tone = 'saved' | 'uploaded' | 'waiting' | 'problem' | 'cancelled';

/** Text colour on background, each at least 4.5:1. */
const TONES: Record<Tone, { tag: string; color: string; background: string; border: string }> = {
  saved: { tag: 'blue', color: '#003a8c', background: '#e6f4ff', border: '#69b1ff' },
  uploaded: { tag: 'green', color: '#135200', background: '#f6ffed', border: '#73d13d' },
  waiting: { tag: 'orange', color: '#612500', background: '#fff7e6', border: '#ffa940' },
  problem: { tag: 'red', color: '#820014', background: '#fff1f0', border: '#ff7875' },
  cancelled: { tag: 'default', color: '#262626', background: '#f5f5f5', border: '#bfbfbf' },
};

export function stateOf(r: QueuedRecord | null): { text: string; tone: Tone } {
  if (!r) return { text: '已保存', tone: 'saved' };
  switch (r.state) {
    case 'accepted':
      return { text: '已上传', tone: 'uploaded' };
    case 'attention':
      return { text: '需处理', tone: 'problem' };
    case 'cancelled':
      return { text: '已作废', tone: 'cancelled' };
    case 'sending':
      return { text: '已保存 · 上传中', tone: 'saved' };
    case 'waiting':
      return r.attempts > 0 ? { text: '已保存 · 等待重试', tone: 'waiting' } : { text: '已保存', tone: 'saved' };
  }
}

/** The newest car, large, where the guard looks: the top of the release screen. */
export function SaveConfirmation({ latest }: { latest: SavedRelease | undefined }) {
  if (!latest) return null;
  const st = stateOf(latest.record);
  const tone = TONES[st.tone];
  return (
    <output
      className="save-confirmation"
      style={{ color: tone.color, background: tone.background, borderColor: tone.border }}
      data-testid="save-state"
      data-state={latest.record?.state ?? 'saved'}
      data-seqno={latest.record?.last.seqno ?? undefined}
      aria-live="polite"
    >
      <span className="save-confirmation-plate">{latest.plate}</span>{' '}
      <span className="save-confirmation-state" data-testid="save-state-text">
        {st.text}
      </span>
    </output>
  );
}

export function SavedList({ saved, zone }: { saved: SavedRelease[]; zone: string }) {
  return (
    <Card size="small" title={<span style={{ fontSize: 18 }}>刚登记的车辆</span>} data-testid="saved-list">
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
                  padding: '6px 0',
                  borderBottom: '1px solid #f0f0f0',
                }}
              >
                <span>
                  <b>{s.plate}</b>{' '}
                  <span style={{ color: '#595959' }}>{formatLocal(s.savedAt, zone).slice(11, 16)}</span>
                </span>
                <Tag color={TONES[st.tone].tag} style={{ fontSize: 15 }}>
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
