/**
 * What a just-saved record's banner says as it goes (已保存, 正在上传 → 已上传, or 平台未接受 …) and in which colours:
 * the same words on every screen that saves a record (固定车续费, 离场补推).
 */
import type { QueuedRecord } from '../../shared/contract/queue.ts';

export type SavedTone = 'saved' | 'uploaded' | 'waiting' | 'problem' | 'cancelled';

/** Text colour on background, each at least 4.5:1 (as the release screen's confirmation). */
export const SAVED_TONES: Record<SavedTone, { color: string; background: string; border: string }> = {
  saved: { color: '#003a8c', background: '#e6f4ff', border: '#69b1ff' },
  uploaded: { color: '#135200', background: '#f6ffed', border: '#73d13d' },
  waiting: { color: '#612500', background: '#fff7e6', border: '#ffa940' },
  problem: { color: '#820014', background: '#fff1f0', border: '#ff7875' },
  cancelled: { color: '#262626', background: '#f5f5f5', border: '#bfbfbf' },
};

/** `what`: 续费, 离场 … (这条续费已保存过 when the same record was saved before). */
export function savedStateText(
  what: string,
  existing: boolean,
  upload: { state: QueuedRecord['state']; attempts: number } | undefined,
): { text: string; tone: SavedTone } {
  const base = existing ? `这条${what}已保存过, 未重复保存` : '已保存, 正在上传';
  const tone: SavedTone = existing ? 'waiting' : 'saved';
  switch (upload?.state) {
    case 'accepted':
      return { text: existing ? `${base} · 已上传` : '已保存, 已上传', tone: 'uploaded' };
    case 'attention':
      return { text: `${base} · 平台未接受, 请到上传队列处理`, tone: 'problem' };
    case 'cancelled':
      return { text: `${base} · 已作废`, tone: 'cancelled' };
    case 'waiting':
      return upload.attempts > 0 ? { text: `${base} · 上传未成功, 等待重试`, tone: 'waiting' } : { text: base, tone };
    default:
      return { text: base, tone };
  }
}
