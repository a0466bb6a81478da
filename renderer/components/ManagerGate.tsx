/** Manager-only screens: shown only after the PIN (the main process refuses the actions anyway). */
import { Card, Result } from 'antd';
import type { ReactNode } from 'react';
import { useIsManager } from '../stores/console.ts';
import { UnlockForm } from './UnlockForm.tsx';

export function ManagerGate({ children, what }: { children: ReactNode; what: string }) {
  const manager = useIsManager();
  if (manager) return <>{children}</>;
  return (
    <Card data-testid="manager-gate">
      <Result
        status="403"
        title="需要管理员解锁"
        subTitle={`${what}只有管理员可以操作. 请输入管理密码解锁 (15 分钟无操作自动锁定).`}
      />
      <div style={{ display: 'flex', justifyContent: 'center' }}>
        <UnlockForm autoFocus />
      </div>
    </Card>
  );
}
