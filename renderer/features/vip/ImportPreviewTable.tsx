/**
 * Every row of the checked spreadsheet, virtualised (only the rows in view are in the page, so 20,000 rows scroll
 * smoothly): its row number in the file, its status, what it renews, and for a bad row each problem with its column.
 * A row's height follows from its problems alone (no measuring), so scrolling never jumps.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { Button, InputNumber, Space } from 'antd';
import { memo, type ReactNode, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ImportIssue, ImportRowStatus, ImportRowView } from '../../../shared/contract/vip.ts';
import { VIP_TYPES } from '../../../shared/records/enums.ts';
import { formatFen } from '../../../shared/records/money.ts';
import type { RowFilter } from './store.ts';
import { useFitAboveStatusBar } from '../../components/fit-above-status-bar.ts';

const LINE = 40;
const PROBLEM_LINE = 24;
/** Problems shown in the row; more are counted (the exported file has them all). */
const PROBLEMS_SHOWN = 3;
/** Room kept under the list (the page's bottom padding). */
const BELOW_LIST = 16;

export const STATUS_TEXT: Record<ImportRowStatus, string> = { good: '可导入', already: '已上传过', bad: '有误' };
const TYPE_LABEL = new Map<string, string>(VIP_TYPES.map((t) => [t.value, t.value === '0' ? '免费' : t.label]));
const COLUMNS = ['行号', '状态', '车牌', '类型', '开始日期', '结束日期', '支付金额(元)', '车场订单号'];

interface Problem {
  text: string;
}

function problemsOf(row: ImportRowView, issues: Map<number, ImportIssue[]>): Problem[] {
  const found = issues.get(row.row);
  if (found && found.length > 0) {
    // The messages name their column already (车牌号码长度不对 …, 支付金额(元)须为金额 …).
    return found.map((i) => ({ text: i.message }));
  }
  return row.problems.map((text) => ({ text }));
}

function heightOf(problems: number): number {
  if (problems === 0) return LINE;
  return LINE + PROBLEM_LINE * (Math.min(problems, PROBLEMS_SHOWN) + (problems > PROBLEMS_SHOWN ? 1 : 0)) + 6;
}

interface Props {
  list: ImportRowView[];
  issues: ImportIssue[];
  filter: RowFilter;
  /** Shown on the left of the line above the rows (the counts that filter them). */
  toolbar?: ReactNode;
}

export const ImportPreviewTable = memo(function ImportPreviewTable({ list, issues, filter, toolbar }: Props) {
  const byRow = useMemo(() => {
    const m = new Map<number, ImportIssue[]>();
    for (const i of issues) {
      const at = m.get(i.row);
      if (at) at.push(i);
      else m.set(i.row, [i]);
    }
    return m;
  }, [issues]);
  const rows = useMemo(() => (filter === 'all' ? list : list.filter((r) => r.status === filter)), [list, filter]);
  const problems = useMemo(() => rows.map((r) => (r.status === 'bad' ? problemsOf(r, byRow) : [])), [rows, byRow]);
  const scrollRef = useRef<HTMLElement>(null);
  const height = useFitAboveStatusBar(scrollRef, BELOW_LIST);
  const [goto, setGoto] = useState<number | null>(null);
  const [gotoNote, setGotoNote] = useState<string | null>(null);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => heightOf(problems[i]?.length ?? 0),
    paddingStart: LINE,
    overscan: 12,
  });
  // The sizes depend on the filter's rows: measured again when they change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `problems` is what the sizes are made of
  useLayoutEffect(() => {
    virtualizer.measure();
    scrollRef.current?.scrollTo({ top: 0 });
  }, [problems, virtualizer]);

  const jump = () => {
    if (goto === null) return;
    const i = rows.findIndex((r) => r.row === goto);
    if (i < 0) {
      setGotoNote(`当前列表中没有第 ${goto} 行`);
      return;
    }
    setGotoNote(null);
    virtualizer.scrollToIndex(i, { align: 'start' });
  };

  const items = virtualizer.getVirtualItems();
  return (
    <div data-testid="vip-preview-list">
      <div className="vip-list-bar">
        {toolbar}
        <Space className="vip-goto" size={6}>
          <label htmlFor="vip-goto-row">转到第</label>
          <InputNumber
            id="vip-goto-row"
            data-testid="vip-goto-row"
            min={1}
            max={10_000_000}
            precision={0}
            value={goto}
            onChange={(v) => setGoto(typeof v === 'number' ? v : null)}
            onPressEnter={jump}
            style={{ width: 96 }}
          />
          <span>行</span>
          <Button onClick={jump} data-testid="vip-goto">
            转到
          </Button>
        </Space>
      </div>
      {gotoNote ? (
        <div className="vip-warn" role="alert">
          {gotoNote}
        </div>
      ) : null}
      {/* The scrolling box takes the focus so that the keyboard scrolls it (its rows hold nothing focusable). */}
      <section
        ref={scrollRef}
        className="vip-list-scroll"
        style={height === null ? undefined : { height }}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a keyboard-scrollable region
        tabIndex={0}
        aria-label={`表格各行, 共 ${rows.length} 行, 可用方向键和翻页键滚动`}
        data-testid="vip-list-scroll"
      >
        <div className="vip-list-table" style={{ height: virtualizer.getTotalSize() }}>
          <div className="vip-grid vip-list-head">
            {COLUMNS.map((c, i) => (
              <span key={c} className={i === 0 || i === 6 ? 'vip-num' : undefined}>
                {c}
              </span>
            ))}
          </div>
          {items.map((v) => {
            const row = rows[v.index]!;
            const own = problems[v.index] ?? [];
            return (
              <div
                key={row.row}
                className={`vip-list-row vip-list-${row.status}`}
                data-testid={`vip-row-${row.row}`}
                data-status={row.status}
                style={{ height: v.size, transform: `translateY(${v.start}px)` }}
              >
                <div className="vip-grid vip-list-line">
                  <span className="mono vip-num">{row.row}</span>
                  <span>
                    <span className={`vip-status vip-status-${row.status}`}>{STATUS_TEXT[row.status]}</span>
                  </span>
                  <span className="vip-cell vip-plate-cell">{row.plate || '—'}</span>
                  <span className="vip-cell">{TYPE_LABEL.get(row.vipType) ?? (row.vipType || '—')}</span>
                  <span className="vip-cell mono">{row.startDay ?? '—'}</span>
                  <span className="vip-cell mono">{row.endDay ?? '—'}</span>
                  <span className="vip-cell mono vip-num">{row.payValue === null ? '—' : formatFen(row.payValue)}</span>
                  <span className="vip-cell mono" title={row.payPartner ?? undefined}>
                    {row.payPartner ?? '自动生成'}
                  </span>
                </div>
                {own.length > 0 ? (
                  <ul className="vip-problems" data-testid="vip-row-problems">
                    {own.slice(0, PROBLEMS_SHOWN).map((p, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: a row's problems never reorder
                      <li key={i} title={p.text}>
                        {p.text}
                      </li>
                    ))}
                    {own.length > PROBLEMS_SHOWN ? (
                      <li>还有 {own.length - PROBLEMS_SHOWN} 个问题 (导出有误的行可看到全部)</li>
                    ) : null}
                  </ul>
                ) : null}
              </div>
            );
          })}
          {rows.length === 0 ? <div className="vip-list-empty">没有这样的行</div> : null}
        </div>
      </section>
    </div>
  );
});
