/**
 * 上传队列: counts per state, the records that need a person, edit and resubmit, 立即重试 for records waiting on a
 * retry (one, or all), cancel (manager), pause and resume (manager), and the 操作记录 of all of these.
 */
import { App, Button, Card, Col, Input, Modal, Row, Segmented, Space, Statistic, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import {
  RECORD_STATE_LABELS,
  RECORD_STATES,
  type QueuedRecord,
  type RecordState,
} from '../../shared/contract/queue.ts';
import { ENDPOINTS } from '../../shared/platform/endpoints.ts';
import { api } from '../binding.ts';
import { openRepush } from '../features/exit/store.ts';
import { STATE_COLORS } from '../labels.ts';
import { useConsole, useIsManager, useZone } from '../stores/console.ts';
import { formatLocal } from '../time.ts';
import { AuditTable } from './AuditTable.tsx';
import { CancelDialog, RecordEditor } from './RecordEditor.tsx';

type View = 'attention' | 'waiting' | 'cancelled' | 'accepted' | 'audit';
const VIEWS: { value: View; label: string; states: RecordState[] }[] = [
  { value: 'attention', label: '需处理', states: ['attention'] },
  { value: 'waiting', label: '待上传', states: ['waiting', 'sending'] },
  { value: 'accepted', label: '已上传', states: ['accepted'] },
  { value: 'cancelled', label: '已作废', states: ['cancelled'] },
  { value: 'audit', label: '操作记录', states: [] },
];

function PauseControls() {
  const paused = useConsole((s) => s.status?.queue.paused ?? null);
  const manager = useIsManager();
  const { message } = App.useApp();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  if (!manager) return <span style={{ color: '#595959' }}>暂停/恢复上传、作废记录需要管理员解锁</span>;
  const pause = async () => {
    const r = await api.pauseQueue({ reason });
    if (!r.ok) return void message.error(r.error.issues?.[0]?.message ?? r.error.message);
    setAsking(false);
    setReason('');
  };
  return (
    <Space>
      {paused ? (
        <Button
          type="primary"
          size="large"
          onClick={async () => {
            const r = await api.resumeQueue();
            if (!r.ok) message.error(r.error.message);
          }}
          data-testid="resume-queue"
        >
          恢复上传
        </Button>
      ) : (
        <Button size="large" danger onClick={() => setAsking(true)} data-testid="pause-queue">
          暂停上传
        </Button>
      )}
      <Modal
        open={asking}
        title="暂停上传"
        okText="暂停"
        cancelText="取消"
        onOk={pause}
        onCancel={() => setAsking(false)}
        destroyOnHidden
      >
        <p>暂停期间新记录照常保存, 恢复后继续上传. 请写明原因:</p>
        <Input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          onPressEnter={pause}
          autoFocus
          placeholder="如: 平台维护"
        />
      </Modal>
    </Space>
  );
}

/** Waiting for its backoff to end after a failed attempt: 立即重试 makes it due now. */
const waitsOnRetry = (r: QueuedRecord) => r.state === 'waiting' && r.attempts > 0;

async function retryNow(message: ReturnType<typeof App.useApp>['message'], id?: number): Promise<void> {
  const r = await api.retryNow(id === undefined ? {} : { id });
  if (!r.ok) return void message.error(r.error.issues?.[0]?.message ?? r.error.message);
  if (r.value.retried === 0) message.info('没有等待重试的记录 (可能已在上传)');
  else message.success(id === undefined ? `已安排 ${r.value.retried} 条记录立即重试` : '已安排立即重试');
}

export function QueueScreen() {
  const { message } = App.useApp();
  const status = useConsole((s) => s.status)!;
  const recordVersion = useConsole((s) => s.recordVersion);
  const manager = useIsManager();
  const zone = useZone();
  const [view, setView] = useState<View>('attention');
  const [records, setRecords] = useState<QueuedRecord[]>([]);
  const [editing, setEditing] = useState<QueuedRecord | null>(null);
  const [cancelling, setCancelling] = useState<QueuedRecord | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: recordVersion changes whenever a record does: read again
  useEffect(() => {
    if (view === 'audit') return;
    const t = setTimeout(async () => {
      const states = VIEWS.find((v) => v.value === view)!.states;
      const [main, stuck] = await Promise.all([
        api.listRecords({ states, limit: 500 }),
        view === 'attention'
          ? api.listRecords({ states: ['waiting'], stuck: true, limit: 500 })
          : Promise.resolve(null),
      ]);
      if (main.ok) setRecords([...(stuck?.ok ? stuck.value : []), ...main.value]);
    }, 150);
    return () => clearTimeout(t);
  }, [view, recordVersion]);

  const counts = status.queue.counts;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Row gutter={16}>
        {RECORD_STATES.map((s) => (
          <Col key={s} xs={12} md={8} xl={4}>
            <Card size="small" data-testid={`count-${s}`}>
              <Statistic
                title={<span style={{ fontSize: 16 }}>{RECORD_STATE_LABELS[s]}</span>}
                value={counts[s]}
                styles={{
                  content: { color: s === 'attention' && counts[s] > 0 ? '#cf1322' : undefined, fontSize: 32 },
                }}
              />
            </Card>
          </Col>
        ))}
        <Col xs={12} md={8} xl={4}>
          <Card size="small">
            <Statistic
              title={<span style={{ fontSize: 16 }}>多次失败仍在重试</span>}
              value={status.queue.stuck}
              styles={{ content: { fontSize: 32, color: status.queue.stuck > 0 ? '#d46b08' : undefined } }}
            />
          </Card>
        </Col>
      </Row>
      <Card
        title={
          <Segmented
            size="large"
            value={view}
            onChange={(v) => setView(v as View)}
            options={VIEWS.map((v) => ({ value: v.value, label: v.label }))}
          />
        }
        extra={
          <Space>
            {view !== 'audit' && records.some(waitsOnRetry) ? (
              <Button size="large" onClick={() => retryNow(message)} data-testid="retry-all">
                全部立即重试
              </Button>
            ) : null}
            <PauseControls />
          </Space>
        }
      >
        {view === 'audit' ? (
          <AuditTable />
        ) : (
          <Table
            rowKey="id"
            size="middle"
            dataSource={records}
            pagination={{ pageSize: 20, showSizeChanger: false }}
            locale={{ emptyText: view === 'attention' ? '没有需要处理的记录' : '没有记录' }}
            columns={[
              { title: '记录', dataIndex: 'id', width: 70, render: (id: number) => `#${id}` },
              {
                title: '接口',
                dataIndex: 'endpoint',
                width: 100,
                render: (e: QueuedRecord['endpoint']) => ENDPOINTS[e].label,
              },
              { title: '车牌', dataIndex: 'plate', width: 110, render: (p: string | null) => <b>{p ?? '—'}</b> },
              { title: '流水号 / 键', dataIndex: 'key', render: (k: string) => <span className="mono">{k}</span> },
              {
                title: '状态',
                width: 150,
                render: (_: unknown, r: QueuedRecord) => (
                  <>
                    <Tag color={STATE_COLORS[r.state]}>{RECORD_STATE_LABELS[r.state]}</Tag>
                    {r.stuck ? <Tag color="orange">多次失败</Tag> : null}
                  </>
                ),
              },
              { title: '次数', dataIndex: 'attempts', width: 60 },
              {
                title: '平台提示',
                render: (_: unknown, r: QueuedRecord) => (
                  <span style={{ color: r.state === 'attention' ? '#cf1322' : undefined }}>
                    {r.cancelReason ?? r.last.hint ?? r.last.message ?? r.last.error ?? ''}
                  </span>
                ),
              },
              { title: '更新', dataIndex: 'updatedAt', width: 170, render: (t: number) => formatLocal(t, zone) },
              {
                title: '操作',
                width: 300,
                render: (_: unknown, r: QueuedRecord) =>
                  r.state === 'attention' || r.state === 'waiting' ? (
                    <Space wrap size={[8, 4]}>
                      {waitsOnRetry(r) ? (
                        <Button size="small" onClick={() => retryNow(message, r.id)} data-testid={`retry-now-${r.id}`}>
                          立即重试
                        </Button>
                      ) : null}
                      {r.endpoint === 'leave' ? (
                        <Button
                          size="small"
                          type="primary"
                          onClick={async () => {
                            const problem = await openRepush(r.id);
                            if (problem) message.error(problem);
                          }}
                          data-testid={`queue-repush-${r.id}`}
                          title="在离场补推中打开, 可改付款明细和图片后重推"
                        >
                          打开补推
                        </Button>
                      ) : null}
                      <Button
                        size="small"
                        type={r.endpoint === 'leave' ? 'default' : 'primary'}
                        onClick={() => setEditing(r)}
                      >
                        修改并重传
                      </Button>
                      {manager ? (
                        <Button size="small" danger onClick={() => setCancelling(r)}>
                          作废
                        </Button>
                      ) : null}
                    </Space>
                  ) : null,
              },
            ]}
          />
        )}
      </Card>
      <RecordEditor record={editing} onClose={() => setEditing(null)} />
      <CancelDialog record={cancelling} onClose={() => setCancelling(null)} />
    </Space>
  );
}
