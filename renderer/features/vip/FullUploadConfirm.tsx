/**
 * 完整上传 (complete=1): the platform deletes every fixed vehicle of the car park, then takes this file's rows. The
 * manager confirms by typing the car park's name as the settings have it; without a name set there is nothing to
 * type, and the dialog says where to set it.
 */
import { Alert, Button, Input, Modal } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useNav } from '../../stores/nav.ts';

interface Props {
  open: boolean;
  parkName: string;
  rows: number;
  /**
   * Bad rows of the file: they would be missing from the platform's list, so the main process refuses a full upload
   * until they are fixed; the dialog says so instead of asking for the name.
   */
  badRows: number;
  busy: boolean;
  /** The progress while the rows are queued. */
  progress?: ReactNode;
  error: string | null;
  onCancel(): void;
  onConfirm(parkName: string): void;
  onExportBad?(): void;
}

const n = (x: number) => x.toLocaleString('zh-CN');

export function FullUploadConfirm(props: Props) {
  const { open, parkName, rows, badRows, busy, progress, error, onCancel, onConfirm, onExportBad } = props;
  const go = useNav((s) => s.go);
  const [typed, setTyped] = useState('');
  useEffect(() => {
    if (open) setTyped('');
  }, [open]);
  const name = parkName.trim();
  const matches = badRows === 0 && name !== '' && typed.trim() === name;

  return (
    <Modal
      open={open}
      onCancel={busy ? undefined : onCancel}
      title={<span className="vip-danger-title">完整上传: 先清空平台上本车场的全部固定车</span>}
      width={620}
      maskClosable={false}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onCancel} disabled={busy} data-testid="vip-confirm-cancel">
          取消
        </Button>,
        <Button
          key="ok"
          danger
          type="primary"
          disabled={!matches}
          loading={busy}
          onClick={() => onConfirm(typed.trim())}
          data-testid="vip-confirm-ok"
        >
          清空并上传 {n(rows)} 行
        </Button>,
      ]}
    >
      <div data-testid="vip-full-dialog">
        <Alert
          type="error"
          showIcon
          title={<b>此操作不能撤销</b>}
          description={
            <span>
              平台会先<b>删除本车场已有的全部固定车</b>, 再写入这个文件中的 {n(rows)} 行.
              文件中没有的车辆将不再是固定车, 进出场会按临时车收费.
            </span>
          }
          style={{ marginBottom: 16 }}
        />
        {badRows > 0 ? (
          <Alert
            type="error"
            showIcon
            data-testid="vip-full-bad-rows"
            title={`表中还有 ${n(badRows)} 行有误, 不能完整上传`}
            description="完整上传会删除平台上不在表中的固定车. 请先导出有误的行, 改正后重新选择文件."
            action={onExportBad ? <Button onClick={onExportBad}>导出有误的行</Button> : undefined}
          />
        ) : null}
        {badRows > 0 ? null : name === '' ? (
          <Alert
            type="warning"
            showIcon
            data-testid="vip-no-park-name"
            title="请先在设置中填写车场名称"
            description="完整上传需要输入车场名称确认. 车场名称在 设置 → 车场与记录 中填写."
            action={
              <Button
                onClick={() => {
                  onCancel();
                  go('settings');
                }}
              >
                去设置
              </Button>
            }
          />
        ) : (
          <div>
            <label htmlFor="vip-confirm-park-name" className="vip-confirm-label">
              请输入车场名称 <b>{name}</b> 以确认:
            </label>
            <Input
              id="vip-confirm-park-name"
              data-testid="vip-confirm-park-name"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              onPressEnter={() => {
                if (matches && !busy) onConfirm(typed.trim());
              }}
              autoComplete="off"
              autoFocus
              status={typed.trim() !== '' && !matches ? 'error' : ''}
              size="large"
            />
            <div className="vip-confirm-hint" aria-live="polite">
              {typed.trim() === '' ? '' : matches ? '名称正确' : '与设置中的车场名称不一致'}
            </div>
          </div>
        )}
        {busy ? <div style={{ marginTop: 16 }}>{progress}</div> : null}
        {error ? (
          <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="vip-confirm-error" />
        ) : null}
      </div>
    </Modal>
  );
}
