/**
 * The exit just saved, large, where the worker looks: 粤B12345 · 流水号 已保存, 正在上传 (then 已上传), or 这条离场已保存过
 * when the same exit was queued before with the same content. Under it, which photo went for each slot (the copied
 * file's name, size and MD5, or the address).
 */
import { IMAGE_SLOTS } from '../../../shared/records/leave.ts';
import { SLOT_LABELS } from './draft.ts';
import { sizeText } from './ImageSlot.tsx';
import { type SavedExit, type UploadState, useExit } from './store.ts';
import { SAVED_TONES, type SavedTone, savedStateText } from '../../components/saved-state.ts';

export function exitSavedText(s: SavedExit, u: UploadState | undefined): { text: string; tone: SavedTone } {
  return savedStateText('离场', s.existing, u);
}

export function ExitSaved({ latest }: { latest: SavedExit | undefined }) {
  const upload = useExit((s) => (latest ? s.uploads[latest.id] : undefined));
  if (!latest) return null;
  const st = exitSavedText(latest, upload);
  const tone = SAVED_TONES[st.tone];
  const images = IMAGE_SLOTS.flatMap((slot) => {
    const img = latest.images[slot];
    return img ? [{ slot, img }] : [];
  });
  return (
    <output
      className="exit-saved"
      style={{ color: tone.color, background: tone.background, borderColor: tone.border }}
      data-testid="exit-saved"
      data-existing={latest.existing ? 'true' : 'false'}
      data-state={upload?.state ?? 'saved'}
      data-seqno={upload?.seqno ?? undefined}
      aria-live="polite"
    >
      <span className="exit-saved-main">
        <span className="exit-saved-plate">{latest.plate || '无牌车'}</span>{' '}
        <span data-testid="exit-saved-text">{st.text}</span>
      </span>
      <span className="exit-saved-keys">
        停车流水号{' '}
        <b className="mono" data-testid="exit-saved-serial">
          {latest.parkingSerial}
        </b>
        <span className="exit-saved-sep">·</span>记录 #{latest.id}
        {latest.resubmitOf !== null ? <span className="exit-saved-sep">· 修改后重推</span> : null}
      </span>
      {images.length > 0 ? (
        <span className="exit-saved-images" data-testid="exit-saved-images">
          {images.map(({ slot, img }) => (
            <span key={slot} className="exit-saved-image" data-slot={slot}>
              {SLOT_LABELS[slot]}:{' '}
              {'url' in img ? (
                <span className="mono">{img.url}</span>
              ) : (
                <>
                  {img.name} ({sizeText(img.size)}, MD5 <span className="mono">{img.md5}</span>)
                </>
              )}
            </span>
          ))}
        </span>
      ) : null}
    </output>
  );
}
