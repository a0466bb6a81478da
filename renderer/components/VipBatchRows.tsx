/**
 * The rows of one VIP renewal batch, as the log's detail shows a push of it: which cars, their order numbers,
 * the local days renewed and the amount. Read from the queued record (the push log keeps the request's fields,
 * the record keeps its rows).
 */
import { Alert, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import type { QueuedRecord } from '../../shared/contract/queue.ts';
import { VIP_TYPES } from '../../shared/records/enums.ts';
import { formatFen } from '../../shared/records/money.ts';
import { formatLocal, parseUtc } from '../../shared/records/time.ts';
import { api } from '../binding.ts';

interface Row {
  plate?: string;
  pay_partner?: string;
  vip_type?: string;
  renewal_start_time?: string;
  renewal_end_time?: string;
  pay_value?: number;
}

const TYPE_LABELS = new Map<string, string>(VIP_TYPES.map((t) => [t.value, t.label]));

function day(utc: string | undefined, zone: string): string {
  const t = utc ? parseUtc(utc) : null;
  return t === null ? '—' : formatLocal(t, zone).slice(0, 10);
}

export function VipBatchRows({ recordId, zone }: { recordId: number; zone: string }) {
  const [record, setRecord] = useState<QueuedRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void api.getRecord({ id: recordId }).then((r) => {
      if (!live) return;
      if (r.ok) setRecord(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [recordId]);

  if (error) return <Alert type="warning" showIcon title={`无法读取这批续费: ${error}`} />;
  if (!record) return null;
  const rows = (record.record.row as Row[] | undefined) ?? [];
  return (
    <div data-testid="log-vip-rows">
      <h3 style={{ marginTop: 16 }}>
        这批续费 ({rows.length} 行)
        {record.record.complete === 1 ? (
          <Tag color="red" style={{ marginLeft: 8 }}>
            完整上传首批 (complete=1)
          </Tag>
        ) : null}
      </h3>
      <Table<Row & { i: number }>
        size="small"
        rowKey="i"
        pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        dataSource={rows.map((r, i) => ({ ...r, i: i + 1 }))}
        columns={[
          { title: '#', dataIndex: 'i', width: 56 },
          { title: '车牌', dataIndex: 'plate', width: 110 },
          { title: '类型', dataIndex: 'vip_type', width: 80, render: (v: string) => TYPE_LABELS.get(v) ?? v },
          {
            title: '开始 – 结束',
            key: 'days',
            render: (_: unknown, r: Row) => `${day(r.renewal_start_time, zone)} – ${day(r.renewal_end_time, zone)}`,
          },
          {
            title: '金额(元)',
            dataIndex: 'pay_value',
            width: 96,
            render: (v: number | undefined) => (typeof v === 'number' ? formatFen(v) : '—'),
          },
          {
            title: '车场订单号',
            dataIndex: 'pay_partner',
            render: (v: string) => <span className="mono">{v}</span>,
          },
        ]}
      />
    </div>
  );
}
