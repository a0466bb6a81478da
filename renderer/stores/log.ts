/**
 * The live push log: pages of rows newest first (keyset paging, 1000 at a time), new attempts put
 * on top as they happen when they match the filter.
 */
import { create } from 'zustand';
import type { PushLogRow } from '../../shared/contract/queue.ts';
import type { Endpoint } from '../../shared/platform/endpoints.ts';
import type { OutcomeKind } from '../../shared/platform/outcome.ts';
import { normalizePlate } from '../../shared/records/plate.ts';
import { LOG_PAGE_MAX } from '../../shared/contract/api.ts';
import { api } from '../binding.ts';
import { onConsoleEvent } from './console.ts';

export interface LogFilter {
  endpoint?: Endpoint;
  outcome?: OutcomeKind;
  plate?: string;
  from?: number;
  to?: number;
}

/** The first page is quick to show; later pages are big, so that scrolling far needs few round trips. */
const FIRST_PAGE = 1000;
const PAGE = LOG_PAGE_MAX;

interface LogState {
  filter: LogFilter;
  rows: PushLogRow[];
  nextBeforeId: number | null;
  loading: boolean;
  error: string | null;
  /** A query in flight is dropped when a newer one started. */
  generation: number;
  setFilter(filter: LogFilter): Promise<void>;
  reload(): Promise<void>;
  loadMore(): Promise<void>;
}

function cleanFilter(f: LogFilter): LogFilter {
  const out: LogFilter = {};
  if (f.endpoint) out.endpoint = f.endpoint;
  if (f.outcome) out.outcome = f.outcome;
  const plate = f.plate ? normalizePlate(f.plate) : '';
  if (plate) out.plate = plate;
  if (f.from !== undefined) out.from = f.from;
  if (f.to !== undefined) out.to = f.to;
  return out;
}

export function matches(row: PushLogRow, f: LogFilter): boolean {
  if (f.endpoint && row.endpoint !== f.endpoint) return false;
  if (f.outcome && row.outcome !== f.outcome) return false;
  if (f.plate && !(row.plate ?? '').includes(f.plate)) return false;
  if (f.from !== undefined && row.at < f.from) return false;
  if (f.to !== undefined && row.at >= f.to) return false;
  return true;
}

export const useLog = create<LogState>((set, get) => ({
  filter: {},
  rows: [],
  nextBeforeId: null,
  loading: false,
  error: null,
  generation: 0,

  async setFilter(filter) {
    set({ filter: cleanFilter(filter) });
    await get().reload();
  },

  async reload() {
    const generation = get().generation + 1;
    set({ generation, loading: true, error: null });
    const r = await api.queryLog({ ...get().filter, limit: FIRST_PAGE });
    if (get().generation !== generation) return;
    if (!r.ok) return set({ loading: false, error: r.error.message });
    // Attempts that arrived as events while the query ran stay on top.
    const newest = r.value.rows[0]?.id ?? 0;
    const { filter, rows } = get();
    const live = rows.filter((x) => x.id > newest && matches(x, filter));
    set({ rows: [...live, ...r.value.rows], nextBeforeId: r.value.nextBeforeId, loading: false });
  },

  async loadMore() {
    const { nextBeforeId, loading, generation } = get();
    if (nextBeforeId === null || loading) return;
    set({ loading: true });
    const r = await api.queryLog({ ...get().filter, beforeId: nextBeforeId, limit: PAGE });
    if (get().generation !== generation) return;
    if (!r.ok) return set({ loading: false, error: r.error.message });
    set((s) => ({ rows: [...s.rows, ...r.value.rows], nextBeforeId: r.value.nextBeforeId, loading: false }));
  },
}));

onConsoleEvent((e) => {
  if (e.type !== 'log') return;
  const { filter, rows } = useLog.getState();
  if (!matches(e.row, filter) || (rows[0] !== undefined && rows[0].id >= e.row.id)) return;
  useLog.setState({ rows: [e.row, ...rows] });
});
