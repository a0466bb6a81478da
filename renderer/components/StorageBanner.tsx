/**
 * Whenever records cannot be saved (or the database was missing at start): a banner on every screen saying what to do.
 */
import { Alert } from 'antd';
import type { StorageProblem } from '../../shared/contract/queue.ts';
import { useConsole, useZone } from '../stores/console.ts';
import { formatLocal } from '../time.ts';

const TITLES: Record<StorageProblem['kind'], string> = {
  'write-failed': '无法保存: 新记录和上传结果可能未写入磁盘',
  'file-gone': '数据库文件已被删除或替换: 已停止保存',
  'missing-at-start': '注意: 此数据目录原有的数据库不见了',
};

export function StorageBanner() {
  const storage = useConsole((s) => s.status?.queue.storage ?? null);
  const zone = useZone();
  if (!storage) return null;
  return (
    <div style={{ padding: '12px 24px 0' }} data-testid="storage-banner">
      <Alert
        type="error"
        showIcon
        title={<span style={{ fontSize: 20, fontWeight: 700 }}>{TITLES[storage.kind]}</span>}
        description={<span style={{ fontSize: 16 }}>{`${storage.problem} (${formatLocal(storage.at, zone)})`}</span>}
      />
    </div>
  );
}
