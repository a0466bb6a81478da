/** 操作记录: who edited, resubmitted, cancelled, paused or resumed what, when and why; newest first. */
import { Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../shared/contract/queue.ts';
import { api } from '../binding.ts';
import { useConsole, useZone } from '../stores/console.ts';
import { formatLocal } from '../time.ts';

/** Dark text on a light tint, each at least 7:1 (antd's preset cyan, orange and green tags are about 3:1). */
const ACTIONS: Record<AuditEntry['action'], { label: string; color: string; background: string; border: string }> = {
  edit: { label: '修改并重传', color: '#002c8c', background: '#e6f4ff', border: '#91caff' },
  resubmit: { label: '重新提交', color: '#00474f', background: '#e6fffb', border: '#87e8de' },
  cancel: { label: '作废', color: '#820014', background: '#fff1f0', border: '#ffa39e' },
  pause: { label: '暂停上传', color: '#612500', background: '#fff7e6', border: '#ffd591' },
  resume: { label: '恢复上传', color: '#135200', background: '#f6ffed', border: '#b7eb8f' },
};

/** The fields an edit changed, as "field: before → after". */
function changes(e: AuditEntry): string {
  if (e.action !== 'edit' || !e.before || !e.after) return '';
  const keys = [...new Set([...Object.keys(e.before), ...Object.keys(e.after)])];
  const show = (v: unknown) => (v === undefined ? '(无)' : typeof v === 'string' ? v : JSON.stringify(v));
  return keys
    .filter((k) => JSON.stringify(e.before![k]) !== JSON.stringify(e.after![k]))
    .map((k) => `${k}: ${show(e.before![k])} → ${show(e.after![k])}`)
    .join('; ');
}

export function AuditTable() {
  const zone = useZone();
  // Records change with every edit and cancel; a pause or resume shows in the status.
  const recordVersion = useConsole((s) => s.recordVersion);
  const paused = useConsole((s) => s.status?.queue.paused?.at ?? null);
  const [rows, setRows] = useState<AuditEntry[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the version and the pause are what make the list stale
  useEffect(() => {
    const t = setTimeout(async () => {
      const r = await api.listAudit();
      if (r.ok) setRows(r.value);
    }, 150);
    return () => clearTimeout(t);
  }, [recordVersion, paused]);
  return (
    <Table
      rowKey="id"
      size="middle"
      data-testid="audit-table"
      dataSource={rows}
      pagination={{ pageSize: 20, showSizeChanger: false }}
      locale={{ emptyText: <span style={{ color: '#595959' }}>还没有操作记录</span> }}
      columns={[
        { title: '时间', dataIndex: 'at', width: 170, render: (t: number) => formatLocal(t, zone) },
        {
          title: '操作',
          dataIndex: 'action',
          width: 120,
          render: (a: AuditEntry['action']) => {
            const { label, color, background, border } = ACTIONS[a];
            return <Tag style={{ color, background, borderColor: border }}>{label}</Tag>;
          },
        },
        {
          title: '记录',
          dataIndex: 'recordId',
          width: 80,
          render: (id: number | null) => (id === null ? '整个队列' : `#${id}`),
        },
        { title: '操作人', dataIndex: 'actor', width: 150 },
        { title: '原因 / 改动', render: (_: unknown, e: AuditEntry) => e.reason ?? changes(e) },
      ]}
    />
  );
}
