/**
 * The renewal just saved, large, where the manager looks: 粤B12345 已保存, 正在上传 (then 已上传), or 这条续费已保存过,
 * 未重复保存 when the same renewal was saved before. Its batch key and 车场订单号 under it, for the platform's support.
 */
import { type SavedRenewal, type UploadState, useVip } from './store.ts';
import { SAVED_TONES, type SavedTone, savedStateText } from '../../components/saved-state.ts';

export function savedText(s: SavedRenewal, u: UploadState | undefined): { text: string; tone: SavedTone } {
  return savedStateText('续费', s.existing, u);
}

export function RenewalSaved({ latest }: { latest: SavedRenewal | undefined }) {
  const upload = useVip((s) => (latest ? s.uploads[latest.id] : undefined));
  if (!latest) return null;
  const st = savedText(latest, upload);
  const tone = SAVED_TONES[st.tone];
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
