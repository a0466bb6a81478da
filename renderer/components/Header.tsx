import { Button, Menu, Tag } from 'antd';
import { api } from '../binding.ts';
import { useConsole } from '../stores/console.ts';
import { SCREENS, useNav } from '../stores/nav.ts';

export function Header() {
  const { screen, go } = useNav();
  const session = useConsole((s) => s.session);
  const setSession = useConsole((s) => s.setSession);

  const lock = async () => {
    const r = await api.lockManager();
    if (r.ok) setSession(r.value);
  };

  return (
    <header className="booth-header">
      <span className="title">岗亭控制台</span>
      <Menu
        theme="dark"
        mode="horizontal"
        selectedKeys={[screen]}
        onClick={(e) => go(e.key as typeof screen)}
        style={{ flex: 1, minWidth: 0, background: 'transparent', fontSize: 17 }}
        items={SCREENS.map((s, i) => ({
          key: s.key,
          label: (
            <span data-testid={`nav-${s.key}`}>
              {s.label} <small className="nav-hint">Alt+{i + 1}</small>
            </span>
          ),
        }))}
      />
      <span style={{ whiteSpace: 'nowrap', fontSize: 17 }} data-testid="header-operator">
        {session?.operator ? `值班: ${session.operator}` : '未交班'}
      </span>
      {session?.manager ? (
        <>
          <Tag
            className="manager-tag"
            style={{
              fontSize: 15,
              padding: '4px 10px',
              color: '#7c4a03',
              background: '#fffbe6',
              borderColor: '#d48806',
            }}
          >
            管理员
          </Tag>
          <Button size="small" onClick={lock}>
            锁定管理
          </Button>
        </>
      ) : null}
    </header>
  );
}
