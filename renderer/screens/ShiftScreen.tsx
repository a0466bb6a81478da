/**
 * 交班: the worker picks or types their name; it fills every operator field until the shift ends. Managers unlock here.
 */
import { App, AutoComplete, Button, Card, Col, Descriptions, Form, Row, Space } from 'antd';
import { useState } from 'react';
import { api } from '../binding.ts';
import { UnlockForm } from '../components/UnlockForm.tsx';
import { useConsole, useZone } from '../stores/console.ts';
import { useNav } from '../stores/nav.ts';
import { formatAge, formatLocal } from '../time.ts';

export function ShiftScreen() {
  const session = useConsole((s) => s.session)!;
  const setSession = useConsole((s) => s.setSession);
  const zone = useZone();
  const go = useNav((s) => s.go);
  const { message, modal } = App.useApp();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  const start = async () => {
    const r = await api.startShift({ operator: name });
    if (!r.ok) return setError(r.error.issues?.[0]?.message ?? r.error.message);
    setError(null);
    setName('');
    setSession(r.value);
    message.success(`${r.value.operator} 已开始值班`);
    go('release');
  };

  const end = () =>
    modal.confirm({
      title: '结束本班?',
      content: `${session.operator} 的班次结束后, 下一位值班人需重新填写姓名.`,
      okText: '结束交班',
      cancelText: '取消',
      onOk: async () => {
        const r = await api.endShift();
        if (r.ok) setSession(r.value);
      },
    });

  return (
    <Row gutter={24}>
      <Col xs={24} lg={13}>
        <Card title={<span style={{ fontSize: 20 }}>值班</span>}>
          {session.operator ? (
            <Descriptions
              column={1}
              size="middle"
              style={{ marginBottom: 24 }}
              styles={{ label: { fontSize: 17 }, content: { fontSize: 17 } }}
            >
              <Descriptions.Item label="当前值班人">
                <b style={{ fontSize: 24 }} data-testid="shift-operator">
                  {session.operator}
                </b>
              </Descriptions.Item>
              <Descriptions.Item label="交班时间">
                {session.shiftStartedAt
                  ? `${formatLocal(session.shiftStartedAt, zone)} ` +
                    `(已值班 ${formatAge(Date.now() - session.shiftStartedAt)})`
                  : '—'}
              </Descriptions.Item>
            </Descriptions>
          ) : (
            <div className="big-state" style={{ marginBottom: 16, color: '#ad6800' }}>
              尚未交班: 请填写值班人姓名
            </div>
          )}
          <Form layout="vertical" onFinish={start}>
            <Form.Item
              htmlFor="operator-name"
              label={session.operator ? '换人接班: 值班人姓名' : '值班人姓名'}
              validateStatus={error ? 'error' : ''}
              help={error ?? undefined}
            >
              <AutoComplete
                id="operator-name"
                value={name}
                onChange={setName}
                options={session.knownOperators.map((n) => ({ value: n }))}
                showSearch={{ filterOption: (input, o) => String(o?.value ?? '').includes(input) }}
                autoFocus={!session.operator}
                placeholder="输入或选择姓名, 回车开始"
                data-testid="operator-input"
                style={{ maxWidth: 360 }}
              />
            </Form.Item>
            <Space>
              <Button type="primary" size="large" htmlType="submit" data-testid="start-shift">
                开始值班
              </Button>
              {session.operator ? (
                <Button size="large" danger onClick={end} data-testid="end-shift">
                  结束交班
                </Button>
              ) : null}
            </Space>
          </Form>
        </Card>
      </Col>
      <Col xs={24} lg={11}>
        <Card title={<span style={{ fontSize: 20 }}>管理员</span>}>
          {session.manager ? (
            <Space orientation="vertical" size="middle">
              <div className="big-state" style={{ color: '#389e0d' }}>
                管理功能已解锁
              </div>
              <div>
                可以修改设置、作废记录、暂停和恢复上传. {Math.round(session.autoLockMs / 60000)} 分钟无操作自动锁定.
              </div>
              <Button
                onClick={async () => {
                  const r = await api.lockManager();
                  if (r.ok) setSession(r.value);
                }}
              >
                立即锁定
              </Button>
            </Space>
          ) : (
            <>
              <div style={{ marginBottom: 12 }}>设置、作废记录、暂停/恢复上传需要管理密码.</div>
              <UnlockForm />
            </>
          )}
        </Card>
      </Col>
    </Row>
  );
}
