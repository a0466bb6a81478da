/**
 * 推送日志: every push attempt, newest first, live. Virtualised (only the rows in view are in the
 * page), so 100,000 rows scroll smoothly; pages load as the end comes into view.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { App, Button, Card, DatePicker, Input, Select, Space, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import type { PushLogRow } from '../../shared/contract/queue.ts';
import { ENDPOINT_NAMES, ENDPOINTS } from '../../shared/platform/endpoints.ts';
import { OUTCOME_KINDS, OUTCOME_LABELS } from '../../shared/platform/outcome.ts';
import { api } from '../binding.ts';
import { useZone } from '../stores/console.ts';
import { useLog, type LogFilter } from '../stores/log.ts';
import { formatLocal, pickerToInstant } from '../time.ts';
import { OUTCOME_COLORS } from '../labels.ts';
import { LogDetail } from './LogDetail.tsx';

const ROW_HEIGHT = 44;

function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const Filters = memo(function Filters() {
  const { filter, setFilter } = useLog();
  const zone = useZone();
  const { message } = App.useApp();
  const [plate, setPlate] = useState(filter.plate ?? '');
  const [exporting, setExporting] = useState(false);
  const change = (f: Partial<LogFilter>) => void setFilter({ ...filter, ...f });

  const exportCsv = async () => {
    setExporting(true);
    const r = await api.exportLogCsv(filter);
    setExporting(false);
    if (!r.ok) return void message.error(r.error.message);
    download(r.value.filename, r.value.csv);
    message.success(`已导出 ${r.value.rows} 行${r.value.truncated ? ' (超出上限, 只导出最新的部分)' : ''}`);
  };

  return (
    <Space wrap size="middle" style={{ marginBottom: 12 }}>
      <Select
        allowClear
        placeholder="全部接口"
        style={{ width: 150 }}
        value={filter.endpoint}
        onChange={(endpoint) => change({ endpoint })}
        options={ENDPOINT_NAMES.map((e) => ({ value: e, label: ENDPOINTS[e].label }))}
        data-testid="filter-endpoint"
      />
      <Select
        allowClear
        placeholder="全部结果"
        style={{ width: 170 }}
        value={filter.outcome}
        onChange={(outcome) => change({ outcome })}
        options={OUTCOME_KINDS.map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))}
        data-testid="filter-outcome"
      />
      <Input.Search
        allowClear
        placeholder="车牌 (可只输前几位)"
        style={{ width: 220 }}
        value={plate}
        onChange={(e) => setPlate(e.target.value)}
        onSearch={(v) => change({ plate: v })}
        data-testid="filter-plate"
      />
      <DatePicker.RangePicker
        showTime
        placeholder={['开始时间', '结束时间']}
        onChange={(range: [Dayjs | null, Dayjs | null] | null) => {
          const [a, b] = range ?? [null, null];
          change({
            from: a ? pickerToInstant(a, zone) : undefined,
            to: b ? pickerToInstant(b, zone) + 1000 : undefined,
          });
        }}
      />
      <Button onClick={exportCsv} loading={exporting} data-testid="export-csv">
        导出 CSV
      </Button>
    </Space>
  );
});

const Row = memo(function Row({ row, zone }: { row: PushLogRow; zone: string }) {
  return (
    <>
      <span className="log-cell mono">{formatLocal(row.at, zone)}</span>
      <span className="log-cell">{ENDPOINTS[row.endpoint].label}</span>
      <span className="log-cell" style={{ fontWeight: 600 }}>
        {row.plate ?? '—'}
      </span>
      <span className="log-cell mono" title={row.recordKey}>
        {row.recordKey}
      </span>
      <span className="log-cell">第 {row.attempt} 次</span>
      <span className="log-cell">
        <Tag color={OUTCOME_COLORS[row.outcome]} style={{ fontSize: 14 }}>
          {OUTCOME_LABELS[row.outcome]}
        </Tag>
      </span>
      <span className="log-cell mono">{row.code ?? row.httpStatus ?? '—'}</span>
      <span className="log-cell mono" title={row.seqno ?? row.error ?? ''}>
        {row.seqno ?? row.error ?? row.message ?? ''}
      </span>
      <span className="log-cell mono" style={{ textAlign: 'right' }}>
        {row.latencyMs} ms
      </span>
    </>
  );
});

/** Only this part re-renders while scrolling: the rows in view, absolutely placed. */
const LogList = memo(function LogList({ onOpen }: { onOpen: (row: PushLogRow) => void }) {
  const rows = useLog((s) => s.rows);
  const loading = useLog((s) => s.loading);
  const nextBeforeId = useLog((s) => s.nextBeforeId);
  const loadMore = useLog((s) => s.loadMore);
  const zone = useZone();
  const scrollRef = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? -1;
  useEffect(() => {
    if (lastIndex >= rows.length - 500 && nextBeforeId !== null && !loading) void loadMore();
  }, [lastIndex, rows.length, nextBeforeId, loading, loadMore]);

  return (
    <div
      ref={scrollRef}
      style={{ height: 'calc(100vh - 330px)', minHeight: 300, overflow: 'auto', contain: 'strict' }}
      data-testid="log-scroll"
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((v) => {
          const row = rows[v.index]!;
          return (
            <div
              key={row.id}
              className="log-grid log-row"
              data-testid="log-row"
              data-outcome={row.outcome}
              tabIndex={0}
              role="button"
              onClick={() => onOpen(row)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') onOpen(row);
              }}
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                height: ROW_HEIGHT,
                transform: `translateY(${v.start}px)`,
              }}
            >
              <Row row={row} zone={zone} />
            </div>
          );
        })}
      </div>
      {rows.length === 0 && !loading ? (
        <div style={{ padding: 40, textAlign: 'center', color: '#888', fontSize: 18 }}>没有符合条件的推送记录</div>
      ) : null}
    </div>
  );
});

export function LogScreen() {
  const count = useLog((s) => s.rows.length);
  const more = useLog((s) => s.nextBeforeId !== null);
  const error = useLog((s) => s.error);
  const reload = useLog((s) => s.reload);
  const zone = useZone();
  const [open, setOpen] = useState<PushLogRow | null>(null);
  const onOpen = useCallback((row: PushLogRow) => setOpen(row), []);

  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <Card
      title={<span style={{ fontSize: 20 }}>推送日志</span>}
      extra={
        <span data-testid="log-count">
          已载入 {count} 条{more ? ' (向下滚动载入更多)' : ''}
        </span>
      }
    >
      <Filters />
      {error ? <div style={{ color: '#cf1322' }}>{error}</div> : null}
      <div className="log-grid log-head">
        <span>时间 ({zone})</span>
        <span>接口</span>
        <span>车牌</span>
        <span>流水号 / 键</span>
        <span>次数</span>
        <span>结果</span>
        <span>code</span>
        <span>seqno / 错误</span>
        <span style={{ textAlign: 'right' }}>耗时</span>
      </div>
      <LogList onOpen={onOpen} />
      <LogDetail row={open} zone={zone} onClose={() => setOpen(null)} />
    </Card>
  );
}
