/** The releases saved during this run, newest first, with their latest state from the event stream. */
import { create } from 'zustand';
import type { QueuedRecord } from '../../shared/contract/queue.ts';
import { onConsoleEvent } from './console.ts';

export interface SavedRelease {
  id: number;
  flowNo: string;
  plate: string;
  savedAt: number;
  record: QueuedRecord | null;
}

interface SavedState {
  saved: SavedRelease[];
  add(entry: SavedRelease): void;
}

const KEEP = 12;
/** Record events can overtake the reply to submitRelease: the latest versions seen, briefly kept. */
const seen = new Map<number, QueuedRecord>();
const SEEN_MAX = 200;

function newer(a: QueuedRecord | null, b: QueuedRecord | undefined): QueuedRecord | null {
  if (!b) return a;
  return a === null || a.updatedAt <= b.updatedAt ? b : a;
}

export const useSavedStore = create<SavedState>((set) => ({
  saved: [],
  add: (entry) =>
    set((s) => ({
      saved: [
        { ...entry, record: newer(entry.record, seen.get(entry.id)) },
        ...s.saved.filter((x) => x.id !== entry.id),
      ].slice(0, KEEP),
    })),
}));

onConsoleEvent((e) => {
  if (e.type !== 'record') return;
  seen.delete(e.record.id);
  seen.set(e.record.id, e.record);
  if (seen.size > SEEN_MAX) seen.delete(seen.keys().next().value!);
  const { saved } = useSavedStore.getState();
  if (!saved.some((s) => s.id === e.record.id)) return;
  useSavedStore.setState({
    saved: saved.map((s) => (s.id === e.record.id ? { ...s, record: newer(s.record, e.record) } : s)),
  });
});
