import { App as AntApp, ConfigProvider, Result, Spin } from 'antd';
import type { Locale } from 'antd/es/locale/index.js';
import zhCNModule from 'antd/es/locale/zh_CN.js';
import { useEffect } from 'react';
import { Header } from './components/Header.tsx';
import { PausedBanner } from './components/PausedBanner.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { ExitScreen } from './features/exit/ExitScreen.tsx';
import { SetupScreen } from './features/setup/SetupScreen.tsx';
import { VipScreen } from './features/vip/VipScreen.tsx';
import { LogScreen } from './screens/LogScreen.tsx';
import { QueueScreen } from './screens/QueueScreen.tsx';
import { ReleaseScreen } from './screens/ReleaseScreen.tsx';
import { SettingsScreen } from './screens/SettingsScreen.tsx';
import { ShiftScreen } from './screens/ShiftScreen.tsx';
import { useConsole } from './stores/console.ts';
import { SCREENS, useNav } from './stores/nav.ts';

// antd ships ES modules without "type": "module": TypeScript sees a CommonJS wrapper, Vite the locale itself.
const zhCN = ('default' in zhCNModule ? zhCNModule.default : zhCNModule) as Locale;

/**
 * antd's secondary greys and its red fall under WCAG AA (4.5:1) on white (#8c8c8c is 3.4:1, #bfbfbf 1.8:1, #ff4d4f
 * 3.3:1): booth PCs have cheap screens in bright booths, so every text colour here reads at 4.5:1 or better.
 */
const theme = {
  token: {
    fontSize: 16,
    controlHeight: 40,
    colorPrimary: '#1d4ed8',
    borderRadius: 6,
    colorTextDescription: '#595959',
    colorTextTertiary: '#595959',
    colorTextQuaternary: '#6b7280',
    colorTextPlaceholder: '#6b7280',
    colorError: '#c81e1e',
  },
};

function useShortcuts(): void {
  const go = useNav((s) => s.go);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const n = Number(e.key);
      const screen = SCREENS[n - 1];
      if (screen) {
        e.preventDefault();
        go(screen.key);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);
}

function Screen() {
  const screen = useNav((s) => s.screen);
  switch (screen) {
    case 'shift':
      return <ShiftScreen />;
    case 'release':
      return <ReleaseScreen />;
    case 'exit':
      return <ExitScreen />;
    case 'vip':
      return <VipScreen />;
    case 'log':
      return <LogScreen />;
    case 'queue':
      return <QueueScreen />;
    case 'settings':
      return <SettingsScreen />;
  }
}

function Body() {
  const { ready, loadError, init } = useConsole();
  const notSetUp = useConsole((s) => s.session?.managerPinSet === false);
  const go = useNav((s) => s.go);
  useShortcuts();
  useEffect(() => {
    void init().then(() => {
      if (useConsole.getState().session?.operator) go('release');
    });
  }, [init, go]);

  if (!ready) {
    return loadError ? (
      <Result status="error" title="无法连接控制台主程序" subTitle={loadError} />
    ) : (
      <div style={{ padding: 80, textAlign: 'center' }}>
        <Spin size="large" />
        <div style={{ marginTop: 16, fontSize: 18 }}>正在连接…</div>
      </div>
    );
  }
  // Until the installer's first-start setup is done, that page is all there is (the main process refuses shifts).
  if (notSetUp) {
    return (
      <>
        <main className="booth-content">
          <SetupScreen />
        </main>
        <StatusBar />
      </>
    );
  }
  return (
    <>
      <Header />
      <PausedBanner />
      <main className="booth-content">
        <Screen />
      </main>
      <StatusBar />
    </>
  );
}

export function App() {
  return (
    <ConfigProvider locale={zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>
        <Body />
      </AntApp>
    </ConfigProvider>
  );
}
