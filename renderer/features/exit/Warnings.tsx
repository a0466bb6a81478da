/**
 * Said before sending, from exitWarnings (asked when the serial and the entry time settle): the platform already
 * accepted this serial (a repeat would be ignored), with a button to that push's detail; or this console sent the
 * serial before with another entry time (the platform would count a new stay). The person decides.
 */
import { Alert, Button } from 'antd';
import type { ExitWarnings } from '../../../shared/contract/exit.ts';
import { formatLocal } from '../../time.ts';

export interface AcceptedNote {
  recordId: number;
  at: number | null;
  seqno: string | null;
}

interface Props {
  serial: string;
  accepted: AcceptedNote | null;
  enterTimeDiffers: ExitWarnings['enterTimeDiffers'];
  zone: string;
  onOpen(recordId: number): void;
  opening: boolean;
}

export function Warnings({ serial, accepted, enterTimeDiffers, zone, onOpen, opening }: Props) {
  if (!accepted && !enterTimeDiffers) return null;
  return (
    <div className="exit-warnings">
      {accepted ? (
        <Alert
          type="warning"
          showIcon
          data-testid="exit-warning-accepted"
          title={
            <span className="exit-warning-title">
              平台已接受过这个停车流水号 ({serial}
              {accepted.at !== null ? `, ${formatLocal(accepted.at, zone).slice(0, 16)}` : ''}
              {accepted.seqno ? `, seqno ${accepted.seqno}` : ''}), 重复推送会被忽略
            </span>
          }
          description={`记录 #${accepted.recordId}。要更正已接受的离场, 请联系平台; 确需再推, 可仍然保存。`}
          action={
            <Button
              onClick={() => onOpen(accepted.recordId)}
              loading={opening}
              data-testid="exit-warning-accepted-open"
            >
              查看那次推送
            </Button>
          }
        />
      ) : null}
      {enterTimeDiffers ? (
        <Alert
          type="warning"
          showIcon
          data-testid="exit-warning-enter-time"
          title={
            <span className="exit-warning-title">
              入场时间与此前推送的不同 (此前为 {formatLocal(enterTimeDiffers.enterTime, zone).slice(0, 16)}, 记录 #
              {enterTimeDiffers.recordId}), 平台会当作一次新的停车
            </span>
          }
          description="同一次停车请填写与此前相同的入场时间。"
        />
      ) : null}
    </div>
  );
}
