/** The manager PIN: unlock (or, on a new install, set the first PIN). Enter submits. */
import { Button, Form, Input, Space } from 'antd';
import { useState } from 'react';
import { api } from '../binding.ts';
import { useConsole } from '../stores/console.ts';

export function UnlockForm({ autoFocus = false }: { autoFocus?: boolean }) {
  const session = useConsole((s) => s.session);
  const setSession = useConsole((s) => s.setSession);
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const firstPin = session?.managerPinSet === false;

  const submit = async () => {
    if (firstPin && pin !== confirm) return setError('两次输入的密码不一致');
    setBusy(true);
    const r = firstPin ? await api.setupPin({ pin }) : await api.unlockManager({ pin });
    setBusy(false);
    setPin('');
    setConfirm('');
    if (r.ok) {
      setError(null);
      setSession(r.value);
    } else {
      setError(r.error.issues?.[0]?.message ?? r.error.message);
    }
  };

  return (
    <Form layout="vertical" onFinish={submit} style={{ maxWidth: 420 }}>
      <Form.Item
        label={firstPin ? '尚未设置管理密码: 请设置 4 到 8 位数字' : '管理密码'}
        validateStatus={error ? 'error' : ''}
        help={error ?? undefined}
      >
        <Input.Password
          data-testid="pin-input"
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
          inputMode="numeric"
          autoFocus={autoFocus}
          placeholder="4 到 8 位数字"
          autoComplete="off"
        />
      </Form.Item>
      {firstPin ? (
        <Form.Item label="再输入一次">
          <Input.Password
            data-testid="pin-confirm"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value.replace(/\D/g, '').slice(0, 8))}
            autoComplete="off"
          />
        </Form.Item>
      ) : null}
      <Space>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="unlock-button">
          {firstPin ? '设置并解锁' : '解锁管理功能'}
        </Button>
      </Space>
    </Form>
  );
}
