/**
 * The manager PIN: unlock. The first PIN is set on the 首次设置 page by whoever installs the console, never here. The
 * manager's name is asked at every unlock: the audit names who acted (李经理 (管理员)), not the guard on shift. Enter
 * submits.
 */
import { Button, Form, Input, Space } from 'antd';
import { useState } from 'react';
import { api } from '../binding.ts';
import { useConsole } from '../stores/console.ts';

export function UnlockForm({ autoFocus = false }: { autoFocus?: boolean }) {
  const setSession = useConsole((s) => s.setSession);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const who = name.trim();
    if (!who) return setNameError('请输入管理员姓名 (操作记录会写明是谁)');
    setNameError(null);
    setBusy(true);
    const r = await api.unlockManager({ pin, name: who });
    setBusy(false);
    setPin('');
    if (r.ok) {
      setError(null);
      setName('');
      setSession(r.value);
    } else if (r.error.issues?.[0]?.field === 'name') {
      setNameError(r.error.issues[0].message);
    } else {
      setError(r.error.issues?.[0]?.message ?? r.error.message);
    }
  };

  return (
    <Form layout="vertical" onFinish={submit} style={{ maxWidth: 420 }}>
      <Form.Item
        label="管理员姓名"
        htmlFor="manager-name"
        validateStatus={nameError ? 'error' : ''}
        help={nameError ?? undefined}
      >
        <Input
          id="manager-name"
          data-testid="manager-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoFocus={autoFocus}
          placeholder="如: 李经理"
          maxLength={32}
          autoComplete="off"
        />
      </Form.Item>
      <Form.Item label="管理密码" htmlFor="manager-pin" validateStatus={error ? 'error' : ''} help={error ?? undefined}>
        <Input.Password
          id="manager-pin"
          data-testid="pin-input"
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
          inputMode="numeric"
          placeholder="4 到 8 位数字"
          autoComplete="off"
        />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="unlock-button">
          解锁管理功能
        </Button>
      </Space>
    </Form>
  );
}
