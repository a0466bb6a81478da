/**
 * Whenever sending is paused: a banner on every screen saying why, and what to do (after the storage banner, when
 * saving fails).
 */
import { Alert, Button } from 'antd';
import type { PauseReason } from '../../shared/contract/queue.ts';
import { api } from '../binding.ts';
import { useConsole, useIsManager, useZone } from '../stores/console.ts';
import { useNav } from '../stores/nav.ts';
import { formatLocal } from '../time.ts';
import { StorageBanner } from './StorageBanner.tsx';

function describe(p: PauseReason, zone: string): { title: string; detail: string } {
  const at = formatLocal(p.at, zone).slice(5, 16);
  switch (p.kind) {
    case 'auth':
      return {
        title: '上传已暂停: 平台拒绝了密钥或签名',
        detail:
          `${at} 起暂停. 记录都已保存, 不会丢失; 请管理员在「设置」中核对车场编号与密钥, 保存后自动恢复上传. ` +
          '平台的原话和签名诊断见「推送日志」.',
      };
    case 'manual':
      return {
        title: `上传已暂停: ${p.by} 手动暂停`,
        detail: `原因: ${p.reason} — ${at}. 记录都已保存, 恢复后继续上传.`,
      };
    case 'config':
      return { title: '上传已暂停: 平台设置不完整', detail: `${p.message}. 记录都已保存, 设置完整后自动上传.` };
  }
}

/** The banners above every screen: saving fails (StorageBanner), then sending is paused. */
export function PausedBanner() {
  return (
    <>
      <StorageBanner />
      <PauseAlert />
    </>
  );
}

function PauseAlert() {
  const paused = useConsole((s) => s.status?.queue.paused ?? null);
  const manager = useIsManager();
  const zone = useZone();
  const go = useNav((s) => s.go);
  if (!paused) return null;
  const { title, detail } = describe(paused, zone);
  return (
    <div style={{ padding: '12px 24px 0' }} data-testid="paused-banner">
      <Alert
        type="error"
        showIcon
        title={<span style={{ fontSize: 20, fontWeight: 700 }}>{title}</span>}
        description={<span style={{ fontSize: 16 }}>{detail}</span>}
        action={
          paused.kind === 'manual' ? (
            manager ? (
              <Button type="primary" onClick={() => void api.resumeQueue()}>
                恢复上传
              </Button>
            ) : null
          ) : (
            <Button onClick={() => go('settings')}>去设置</Button>
          )
        }
      />
    </div>
  );
}
