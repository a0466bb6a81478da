/**
 * One photo of the exit: 选择图片 (the host's dialog; the picked file's handle goes in the form, its thumbnail, name
 * and size are shown), or an address pasted in; 移除. A re-push shows the photo the stored record has
 * (已保存的图片 name): left so, it is kept; picking another or pasting an address replaces it.
 */
import { Button, Input } from 'antd';
import { useState } from 'react';
import type { ImageSlot as Slot } from '../../../shared/records/leave.ts';
import { api, binding } from '../../binding.ts';
import type { ImageDraft } from './draft.ts';
import { SLOT_LABELS, storedName, withoutNew } from './draft.ts';
import { useExit } from './store.ts';

export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

interface Props {
  slot: Slot;
  disabled?: boolean;
  error?: string | undefined;
  /** The platform's last words about this photo (a re-push). */
  highlight?: string | undefined;
}

export function ImageSlot({ slot, disabled, error, highlight }: Props) {
  const image = useExit((s) => s.draft.images[slot]);
  const setImage = useExit((s) => s.setImage);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const label = SLOT_LABELS[slot];
  const id = `exit-image-${slot}`;

  const pick = async () => {
    // The dialog first, straight from the click (a browser opens its file dialog only for a person's action).
    const picking = binding.files.pickFile({ title: `选择${label}`, extensions: ['jpg', 'jpeg', 'png'] });
    setProblem(null);
    let picked: Awaited<typeof picking>;
    try {
      picked = await picking;
    } catch (e) {
      setProblem(`没有读到图片: ${(e as Error).message}`);
      return;
    }
    if (picked === null) return;
    setBusy(true);
    const r = await api.imagePreview({ file: picked.handle });
    setBusy(false);
    if (!r.ok) {
      setProblem(`这张图片不能用: ${r.error.issues?.[0]?.message ?? r.error.message}`);
      return;
    }
    const next: ImageDraft = {
      kind: 'file',
      handle: picked.handle,
      name: r.value.name || picked.name,
      size: r.value.size,
      dataUrl: r.value.dataUrl,
    };
    const stored = storedName(useExit.getState().draft.images[slot]);
    if (stored) next.stored = stored;
    setImage(slot, next);
  };

  const said = error ?? problem;
  return (
    <div className={`exit-image${said ? ' exit-image-bad' : ''}`} data-testid={id}>
      <div className="exit-image-label">{label}</div>
      {image.kind === 'file' ? (
        <div className="exit-image-picked">
          {image.dataUrl ? (
            <img src={image.dataUrl} alt={label} className="exit-thumb" data-testid={`${id}-thumb`} />
          ) : (
            <span className="exit-thumb exit-thumb-none" data-testid={`${id}-thumb`}>
              图片较大, 不显示预览
            </span>
          )}
          <span className="exit-image-name">
            <b>{image.name}</b>
            <br />
            {sizeText(image.size)}
          </span>
        </div>
      ) : image.kind === 'stored' ? (
        <div className="exit-image-picked" data-testid={`${id}-stored`}>
          <span className="exit-image-name">
            已保存的图片 <b>{image.name}</b>
            <br />
            <span className="exit-muted">不更换则沿用这张</span>
          </span>
        </div>
      ) : null}
      <div className="exit-image-actions">
        <Button onClick={() => void pick()} loading={busy} disabled={disabled} data-testid={`${id}-pick`}>
          {image.kind === 'none' || image.kind === 'url' ? '选择图片' : '换一张'}
        </Button>
        {image.kind === 'file' || (image.kind === 'url' && image.url !== '') ? (
          <Button onClick={() => setImage(slot, withoutNew(image))} disabled={disabled} data-testid={`${id}-remove`}>
            {storedName(image) ? '改回原图' : '移除'}
          </Button>
        ) : null}
      </div>
      {image.kind !== 'file' ? (
        <Input
          aria-label={`${label}地址`}
          data-nav={`images.${slot}`}
          data-testid={`${id}-url`}
          value={image.kind === 'url' ? image.url : ''}
          onChange={(e) => {
            const url = e.target.value.trim();
            const stored = storedName(image);
            if (url === '') setImage(slot, withoutNew(image));
            else setImage(slot, stored ? { kind: 'url', url, stored } : { kind: 'url', url });
          }}
          placeholder={image.kind === 'stored' ? '或粘贴新图片地址' : '或粘贴图片地址 http://…'}
          disabled={disabled}
          status={said ? 'error' : ''}
          autoComplete="off"
          maxLength={1024}
          size="small"
        />
      ) : null}
      {said ? (
        <div className="exit-error" data-testid={`exit-error-images.${slot}`}>
          {said}
        </div>
      ) : null}
      {highlight && !said ? (
        <div className="exit-highlight" data-testid="exit-highlight">
          平台上次退回: {highlight}
        </div>
      ) : null}
    </div>
  );
}
