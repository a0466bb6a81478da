/** 操作记录: who edited, resubmitted, cancelled, paused or resumed what, when and why; newest first. */
import { Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../shared/contract/queue.ts';
import { api } from '../binding.ts';
import { useConsole, useZone } from '../stores/console.ts';
import { formatLocal } from '../time.ts';

const ACTIONS: Record<AuditEntry['action'], { label: string; color: string }> = {
  edit: { label: '修改并重传', color: 'blue' },
  resubmit: { label: '重新提交', color: 'cyan' },
  cancel: { label: '作废', color: 'red' },
  pause: { label: '暂停上传', color: 'orange' },
  resume: { label: '恢复上传', color: 'green' },
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
      locale={{ emptyText: '还没有操作记录' }}
      columns={[
        { title: '时间', dataIndex: 'at', width: 170, render: (t: number) => formatLocal(t, zone) },
        {
          title: '操作',
          dataIndex: 'action',
          width: 120,
          render: (a: AuditEntry['action']) => <Tag color={ACTIONS[a].color}>{ACTIONS[a].label}</Tag>,
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
