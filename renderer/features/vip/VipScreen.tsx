/**
 * 固定车续费 (managers): one renewal typed on a form, or many from a spreadsheet. Which of the two is open, the
 * renewal being typed and the file being imported stay as they were when another screen is opened and closed.
 */
import { Card, Tabs } from 'antd';
import { ManagerGate } from '../../components/ManagerGate.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { RenewalForm } from './RenewalForm.tsx';
import { useVip, type VipTab } from './store.ts';
import './vip.css';

function VipTabs() {
  const tab = useVip((s) => s.tab);
  const setTab = useVip((s) => s.setTab);
  return (
    <Card size="small" className="vip-card" data-testid="vip-screen">
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as VipTab)}
        destroyOnHidden={false}
        items={[
          {
            key: 'one',
            label: <span data-testid="vip-tab-one">单条续费</span>,
            children: <RenewalForm />,
          },
          {
            key: 'import',
            label: <span data-testid="vip-tab-import">批量导入 (Excel / CSV)</span>,
            children: <ImportPanel />,
          },
        ]}
      />
    </Card>
  );
}

export function VipScreen() {
  return (
    <ManagerGate what="固定车续费">
      <VipTabs />
    </ManagerGate>
  );
}
