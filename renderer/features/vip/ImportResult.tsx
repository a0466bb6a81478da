/**
 * What an import queued: how many rows, in which batches (each with its key, rows, the full-upload mark on the first
 * batch of a full upload, and its upload state as the event stream says), and what was left out and why.
 */
import { Button, Tag } from 'antd';
import { RECORD_STATE_LABELS } from '../../../shared/contract/queue.ts';
import { useNav } from '../../stores/nav.ts';
import { type CommitOutcome, exportBadRows, useVip } from './store.ts';

const n = (x: number) => x.toLocaleString('zh-CN');

const STATE_COLOR: Record<string, string> = {
  waiting: 'orange',
  sending: 'blue',
  accepted: 'green',
  attention: 'red',
  cancelled: 'default',
};

interface Props {
  outcome: CommitOutcome;
  /** The checked file's bad rows, to save as a file to fix. */
  badRows: number;
  onAnother(): void;
}

export function ImportResult({ outcome, badRows, onAnother }: Props) {
  const uploads = useVip((s) => s.uploads);
  const go = useNav((s) => s.go);
  const { value, complete } = outcome;
  const uploaded = value.batches.filter((b) => uploads[b.id]?.state === 'accepted').length;
  return (
    <section className="vip-result" data-testid="vip-result" aria-live="polite" aria-label="导入结果">
      <div className="vip-result-head">
        {value.queued > 0 ? (
          <span data-testid="vip-result-text">
            {complete ? '完整上传已保存' : '已保存'}: <b>{n(value.queued)}</b> 行写入上传队列, 分{' '}
            <b>{value.batches.length}</b> 批{uploaded > 0 ? `, 已上传 ${uploaded} 批` : ', 正在上传'}
          </span>
        ) : (
          <span data-testid="vip-result-text">没有写入新的行</span>
        )}
      </div>
      <div className="vip-result-notes">
        {value.alreadySent > 0 ? <span>已上传过 {n(value.alreadySent)} 行, 未重复写入. </span> : null}
        {value.skipped > 0 ? <span>有误的 {n(value.skipped)} 行未导入 (可导出有误的行, 改正后再导入). </span> : null}
        {complete ? <span>首批带完整上传标记: 平台收到后先清空本车场的固定车, 各批依次上传. </span> : null}
      </div>
      {value.batches.length > 0 ? (
        <ol className="vip-batches" data-testid="vip-batches">
          {value.batches.map((b, i) => {
            const u = uploads[b.id];
            return (
              <li key={b.id} data-testid="vip-batch" data-key={b.key}>
                <span className="vip-batch-no">第 {i + 1} 批</span>
                <span className="mono vip-batch-key">{b.key}</span>
                <span>{n(b.rows)} 行</span>
                {b.complete ? (
                  <Tag color="red" data-testid="vip-batch-complete">
                    首批含完整上传标记
                  </Tag>
                ) : null}
                <Tag color={STATE_COLOR[u?.state ?? 'waiting']}>
                  {u ? RECORD_STATE_LABELS[u.state] : RECORD_STATE_LABELS.waiting}
                </Tag>
              </li>
            );
          })}
        </ol>
      ) : null}
      <div className="vip-result-actions">
        {badRows > 0 ? (
          <Button onClick={() => void exportBadRows()} data-testid="vip-export-bad">
            导出有误的行 ({n(badRows)})
          </Button>
        ) : null}
        <Button onClick={onAnother}>选择其他文件</Button>
        <Button onClick={() => go('queue')}>查看上传队列</Button>
      </div>
    </section>
  );
}
