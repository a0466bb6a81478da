/**
 * 推送日志: every push attempt, newest first, live. Virtualised (only the rows in view are in the
 * page), so 100,000 rows scroll smoothly; pages load as the end comes into view. The header is the
 * first, sticky row of the same scrolling box, so that at 1024 px it scrolls sideways with the rows.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { App, Button, Card, DatePicker, Input, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import type { CsvExport } from '../../shared/contract/api.ts';
import type { SaveResult } from '../../shared/contract/host.ts';
import type { PushLogRow } from '../../shared/contract/queue.ts';
import { ENDPOINT_NAMES, ENDPOINTS } from '../../shared/platform/endpoints.ts';
import { OUTCOME_KINDS, OUTCOME_LABELS } from '../../shared/platform/outcome.ts';
import { api, binding } from '../binding.ts';
import { useConsole, useZone } from '../stores/console.ts';
import { useLog, type LogFilter } from '../stores/log.ts';
import { formatLocal, instantToPicker, parkDayRange, pickerToInstant } from '../time.ts';
import { LogDetail, OutcomeTag } from './LogDetail.tsx';
import '../log.css';
import { useFitAboveStatusBar } from '../components/fit-above-status-bar.ts';

const ROW_HEIGHT = 44;

type Preset = 'today' | 'yesterday' | 'shift';
const PRESETS: { key: Preset; label: string }[] = [
  { key: 'today', label: '今天' },
  { key: 'yesterday', label: '昨天' },
  { key: 'shift', label: '本班' },
];

/** A one-click range in the car park's zone; null for 本班 when no shift is on. */
function presetRange(preset: Preset, zone: string, shiftStartedAt: number | null, now = Date.now()) {
  if (preset === 'shift') return shiftStartedAt === null ? null : { from: shiftStartedAt };
  return parkDayRange(now, zone, preset === 'today' ? 0 : -1);
}

/** What the export says: how many rows (the main process's words) and where the file went (the host's). */
function exportedText(r: CsvExport, saved: SaveResult): string {
  return `${r.message}${r.truncated ? ' (超出上限, 只导出最新的部分)' : ''}。${saved.message}`;
}

const Filters = memo(function Filters() {
  const { filter, setFilter } = useLog();
  const zone = useZone();
  const shiftStartedAt = useConsole((st) => st.session?.shiftStartedAt ?? null);
  const { message } = App.useApp();
  const [plate, setPlate] = useState(filter.plate ?? '');
  const [exporting, setExporting] = useState(false);
  const change = (f: Partial<LogFilter>) => void setFilter({ ...filter, ...f });

  const exportCsv = async () => {
    setExporting(true);
    const r = await api.exportLogCsv(filter);
    if (!r.ok) {
      setExporting(false);
      return void message.error(r.error.message);
    }
    const saved = await binding.files
      .saveExport(r.value.file)
      .catch((e: unknown): SaveResult => ({ saved: false, message: e instanceof Error ? e.message : String(e) }));
    setExporting(false);
    if (!saved.saved) return void message.warning({ content: `${r.value.message}; ${saved.message}`, duration: 8 });
    message.success({ content: exportedText(r.value, saved), duration: 8 });
  };

  const active = PRESETS.find((p) => {
    const range = presetRange(p.key, zone, shiftStartedAt);
    return range !== null && range.from === filter.from && range.to === filter.to;
  })?.key;
  const pick = (preset: Preset) => {
    const range = presetRange(preset, zone, shiftStartedAt);
    if (range) change({ from: range.from, to: range.to });
  };
  const pickerValue: [Dayjs | null, Dayjs | null] | null =
    filter.from === undefined && filter.to === undefined
      ? null
      : [
          filter.from !== undefined ? instantToPicker(filter.from, zone) : null,
          filter.to !== undefined ? instantToPicker(filter.to - 1000, zone) : null,
        ];

  return (
    <Space wrap size="middle" className="push-log-filters" style={{ marginBottom: 12 }}>
      <Select
        allowClear
        placeholder="全部接口"
        aria-label="接口"
        style={{ width: 150 }}
        value={filter.endpoint}
        onChange={(endpoint) => change({ endpoint })}
        options={ENDPOINT_NAMES.map((e) => ({ value: e, label: ENDPOINTS[e].label }))}
        data-testid="filter-endpoint"
      />
      <Select
        allowClear
        placeholder="全部结果"
        aria-label="结果"
        style={{ width: 170 }}
        value={filter.outcome}
        onChange={(outcome) => change({ outcome })}
        options={OUTCOME_KINDS.map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))}
        data-testid="filter-outcome"
      />
      <Input.Search
        allowClear
        placeholder="车牌 (任意几位)"
        aria-label="车牌"
        style={{ width: 220 }}
        value={plate}
        onChange={(e) => setPlate(e.target.value)}
        onSearch={(v) => change({ plate: v })}
        data-testid="filter-plate"
      />
      <Space.Compact>
        {PRESETS.map((p) => (
          <Button
            key={p.key}
            type={active === p.key ? 'primary' : 'default'}
            aria-pressed={active === p.key}
            disabled={p.key === 'shift' && shiftStartedAt === null}
            title={p.key === 'shift' ? '从本班开始到现在' : undefined}
            onClick={() => pick(p.key)}
            data-testid={`range-${p.key}`}
          >
            {p.label}
          </Button>
        ))}
      </Space.Compact>
      <span data-testid="filter-range">
        <DatePicker.RangePicker
          showTime
          allowEmpty={[true, true]}
          placeholder={['开始时间', '结束时间']}
          value={pickerValue}
          onChange={(range: [Dayjs | null, Dayjs | null] | null) => {
            const [a, b] = range ?? [null, null];
            change({
              from: a ? pickerToInstant(a, zone) : undefined,
              to: b ? pickerToInstant(b, zone) + 1000 : undefined,
            });
          }}
        />
      </span>
      <Button onClick={exportCsv} loading={exporting} data-testid="export-csv">
        导出 CSV
      </Button>
    </Space>
  );
});

const Row = memo(function Row({ row, zone }: { row: PushLogRow; zone: string }) {
  return (
    <>
      <span className="push-log-cell mono">{formatLocal(row.at, zone)}</span>
      <span className="push-log-cell">{ENDPOINTS[row.endpoint].label}</span>
      <span className="push-log-cell" style={{ fontWeight: 600 }}>
        {row.plate ?? '—'}
        {/* A renewal batch names its first car: say how many rows it carries (and a full upload's first batch). */}
        {row.endpoint === 'vip-recharge' && row.fields.rows ? (
          <span style={{ fontWeight: 400 }}>
            {' '}
            等 {row.fields.rows} 行{row.fields.complete === '1' ? ' · 完整上传' : ''}
          </span>
        ) : null}
      </span>
      <span className="push-log-cell mono" title={row.recordKey}>
        {row.recordKey}
      </span>
      <span className="push-log-cell">第 {row.attempt} 次</span>
      <span className="push-log-cell">
        <OutcomeTag outcome={row.outcome} />
      </span>
      <span className="push-log-cell mono">{row.code ?? row.httpStatus ?? '—'}</span>
      <span className="push-log-cell mono" title={row.seqno ?? row.error ?? ''}>
        {row.seqno ?? row.error ?? row.message ?? ''}
      </span>
      <span className="push-log-cell mono push-log-num">{row.latencyMs} ms</span>
    </>
  );
});

/** Space kept under the list: the card's padding. */
const BELOW_LIST = 24;

const COLUMNS = ['时间', '接口', '车牌', '流水号 / 键', '次数', '结果', 'code', 'seqno / 错误', '耗时'];

/**
 * Only this part re-renders while scrolling: the rows in view, absolutely placed under the header, which is the
 * scrolling box's first row (sticky on top), so that header and rows share one horizontal scroll.
 */
const LogList = memo(function LogList({ onOpen }: { onOpen: (row: PushLogRow) => void }) {
  const rows = useLog((s) => s.rows);
  const loading = useLog((s) => s.loading);
  const nextBeforeId = useLog((s) => s.nextBeforeId);
  const loadMore = useLog((s) => s.loadMore);
  const zone = useZone();
  const scrollRef = useRef<HTMLDivElement>(null);
  const height = useFitAboveStatusBar(scrollRef, BELOW_LIST);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    paddingStart: ROW_HEIGHT,
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
      className="push-log-scroll"
      style={height === null ? undefined : { height }}
      data-testid="log-scroll"
    >
      <div className="push-log-table" style={{ height: virtualizer.getTotalSize() }}>
        <div className="push-log-grid push-log-head" data-testid="log-head">
          {COLUMNS.map((c) => (
            <span key={c} className={c === '耗时' ? 'push-log-num' : undefined}>
              {c}
            </span>
          ))}
        </div>
        {items.map((v) => {
          const row = rows[v.index]!;
          return (
            <div
              key={row.id}
              className="push-log-grid push-log-row"
              data-testid="log-row"
              data-outcome={row.outcome}
              tabIndex={0}
              role="button"
              onClick={() => onOpen(row)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') onOpen(row);
              }}
              style={{ height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
            >
              <Row row={row} zone={zone} />
            </div>
          );
        })}
        {rows.length === 0 && !loading ? <div className="push-log-empty">没有符合条件的推送记录</div> : null}
      </div>
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
      className="push-log-card"
      title={<h2 className="push-log-title">推送日志</h2>}
      extra={
        <span data-testid="log-count">
          已载入 {count} 条{more ? ' (向下滚动载入更多)' : ''}
        </span>
      }
    >
      <Filters />
      {error ? <div style={{ color: '#a8071a' }}>{error}</div> : null}
      <LogList onOpen={onOpen} />
      <LogDetail row={open} zone={zone} onClose={() => setOpen(null)} />
    </Card>
  );
}
