/**
 * The renewal just saved, large, where the manager looks: 粤B12345 已保存, 正在上传 (then 已上传), or 这条续费已保存过,
 * 未重复保存 when the same renewal was saved before. Its batch key and 车场订单号 under it, for the platform's support.
 */
import { type SavedRenewal, type UploadState, useVip } from './store.ts';

type Tone = 'saved' | 'uploaded' | 'waiting' | 'problem' | 'cancelled';

/** Text colour on background, each at least 4.5:1 (as the release screen's confirmation). */
const TONES: Record<Tone, { color: string; background: string; border: string }> = {
  saved: { color: '#003a8c', background: '#e6f4ff', border: '#69b1ff' },
  uploaded: { color: '#135200', background: '#f6ffed', border: '#73d13d' },
  waiting: { color: '#612500', background: '#fff7e6', border: '#ffa940' },
  problem: { color: '#820014', background: '#fff1f0', border: '#ff7875' },
  cancelled: { color: '#262626', background: '#f5f5f5', border: '#bfbfbf' },
};

export function savedText(s: SavedRenewal, u: UploadState | undefined): { text: string; tone: Tone } {
  const base = s.existing ? '这条续费已保存过, 未重复保存' : '已保存, 正在上传';
  const tone: Tone = s.existing ? 'waiting' : 'saved';
  switch (u?.state) {
    case 'accepted':
      return { text: s.existing ? `${base} · 已上传` : '已保存, 已上传', tone: 'uploaded' };
    case 'attention':
      return { text: `${base} · 平台未接受, 请到上传队列处理`, tone: 'problem' };
    case 'cancelled':
      return { text: `${base} · 已作废`, tone: 'cancelled' };
    case 'waiting':
      return u.attempts > 0 ? { text: `${base} · 上传未成功, 等待重试`, tone: 'waiting' } : { text: base, tone };
    default:
      return { text: base, tone };
  }
}

export function RenewalSaved({ latest }: { latest: SavedRenewal | undefined }) {
  const upload = useVip((s) => (latest ? s.uploads[latest.id] : undefined));
  if (!latest) return null;
  const st = savedText(latest, upload);
  const tone = TONES[st.tone];
  return (
    <output
      className="vip-saved"
      style={{ color: tone.color, background: tone.background, borderColor: tone.border }}
      data-testid="vip-saved"
      data-existing={latest.existing ? 'true' : 'false'}
      data-state={upload?.state ?? 'saved'}
      aria-live="polite"
    >
      <span className="vip-saved-main">
        <span className="vip-saved-plate">{latest.plate}</span> <span data-testid="vip-saved-text">{st.text}</span>
      </span>
      <span className="vip-saved-keys">
        车场订单号{' '}
        <b className="mono" data-testid="vip-saved-pay-partner">
          {latest.payPartner}
        </b>
        <span className="vip-saved-sep">·</span>
        记录编号{' '}
        <span className="mono" data-testid="vip-saved-key">
          {latest.key}
        </span>
      </span>
    </output>
  );
}
