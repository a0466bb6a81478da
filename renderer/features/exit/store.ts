/**
 * 离场补推's state, kept outside the screen so that another screen and back finds it as it was: the exit being typed
 * (with its red hints), the record being re-pushed (from the log or the queue), the exits saved in this run and their
 * upload states (from the event stream).
 */
import { create } from 'zustand';
import type { SubmitExitResult } from '../../../shared/contract/exit.ts';
import type { QueuedRecord } from '../../../shared/contract/queue.ts';
import type { ImageSlot } from '../../../shared/records/leave.ts';
import { api } from '../../binding.ts';
import { onConsoleEvent, useConsole } from '../../stores/console.ts';
import { useNav } from '../../stores/nav.ts';
import {
  emptyExit,
  type ExitDraft,
  type ExitErrors,
  type ImageDraft,
  newPayment,
  type PaymentDraft,
  withPlateColor,
} from './draft.ts';
import { draftFromRecord, type Highlight, highlightOf } from './from-record.ts';

const zone = () => useConsole.getState().settings?.timeZone ?? 'Asia/Shanghai';

export interface UploadState {
  state: QueuedRecord['state'];
  attempts: number;
  updatedAt: number;
  seqno: string | null;
}

export interface SavedExit extends SubmitExitResult {
  plate: string;
  savedAt: number;
  /** Saved as a re-push of this record. */
  resubmitOf: number | null;
}

/** The stored record the form was filled from. */
export interface Repush {
  id: number;
  key: string;
  state: QueuedRecord['state'];
  acceptedAt: number | null;
  seqno: string | null;
  /** The field the platform's last refusal names, with its words. */
  highlight: Highlight | null;
}

interface ExitState {
  draft: ExitDraft;
  errors: ExitErrors;
  formError: string | null;
  repush: Repush | null;
  /** An accepted record opens read-only until the worker chooses to edit it anyway. */
  unlocked: boolean;
  saved: SavedExit[];
  uploads: Record<number, UploadState>;
  /** Changes the draft and clears the hints of `clear` (error keys). */
  update(change: Partial<ExitDraft>, clear?: string[]): void;
  setErrors(errors: ExitErrors, formError: string | null): void;
  setFieldError(field: string, message: string | undefined): void;
  setImage(slot: ImageSlot, image: ImageDraft): void;
  addPayment(operator: string | null): void;
  removePayment(index: number): void;
  updatePayment(index: number, change: Partial<PaymentDraft>, clear?: string[]): void;
  unlock(): void;
  /** A new, empty exit (the re-push context dropped). */
  reset(): void;
  saved1(result: SavedExit): void;
}

function without(errors: ExitErrors, clear: readonly string[]): ExitErrors {
  if (clear.length === 0) return errors;
  return Object.fromEntries(Object.entries(errors).filter(([k]) => !clear.includes(k)));
}

/** Errors of payment rows after `index` move up one when a row goes. */
function shiftPaymentErrors(errors: ExitErrors, removed: number): ExitErrors {
  const out: ExitErrors = {};
  for (const [k, v] of Object.entries(errors)) {
    const m = /^payments\[(\d+)\](.*)$/.exec(k);
    if (!m) out[k] = v;
    else if (Number(m[1]) < removed) out[k] = v;
    else if (Number(m[1]) > removed) out[`payments[${Number(m[1]) - 1}]${m[2]}`] = v;
  }
  return out;
}

export const useExit = create<ExitState>((set) => ({
  draft: emptyExit(),
  errors: {},
  formError: null,
  repush: null,
  unlocked: true,
  saved: [],
  uploads: {},
  update: (change, clear = []) =>
    set((s) => ({
      draft: withPlateColor({ ...s.draft, ...change }),
      errors: without(s.errors, clear),
      formError: clear.length > 0 ? null : s.formError,
    })),
  setErrors: (errors, formError) => set({ errors, formError }),
  setFieldError: (field, message) =>
    set((s) => {
      if (s.errors[field] === message) return s;
      const errors = { ...s.errors };
      if (message === undefined) delete errors[field];
      else errors[field] = message;
      return { errors };
    }),
  setImage: (slot, image) =>
    set((s) => ({
      draft: { ...s.draft, images: { ...s.draft.images, [slot]: image } },
      errors: without(s.errors, [`images.${slot}`]),
    })),
  addPayment: (operator) =>
    set((s) => {
      const last = s.draft.payments[s.draft.payments.length - 1];
      return {
        draft: { ...s.draft, payments: [...s.draft.payments, newPayment(operator, last?.payType)] },
        errors: without(s.errors, ['payments']),
      };
    }),
  removePayment: (index) =>
    set((s) => ({
      draft: { ...s.draft, payments: s.draft.payments.filter((_, i) => i !== index) },
      errors: shiftPaymentErrors(s.errors, index),
    })),
  updatePayment: (index, change, clear = []) =>
    set((s) => ({
      draft: {
        ...s.draft,
        payments: s.draft.payments.map((p, i) => (i === index ? { ...p, ...change } : p)),
      },
      errors: without(s.errors, clear),
      formError: clear.length > 0 ? null : s.formError,
    })),
  unlock: () => set({ unlocked: true }),
  reset: () =>
    set((s) => ({
      draft: emptyExit({ province: s.draft.province }),
      errors: {},
      formError: null,
      repush: null,
      unlocked: true,
    })),
  saved1: (result) =>
    set((s) => ({
      saved: [result, ...s.saved.filter((x) => x.id !== result.id)].slice(0, 20),
      draft: emptyExit({ province: s.draft.province, carType: s.draft.carType, chargeType: s.draft.chargeType }),
      errors: {},
      formError: null,
      repush: null,
      unlocked: true,
    })),
}));

function noteRecord(r: QueuedRecord): void {
  useExit.setState((s) => {
    const had = s.uploads[r.id];
    if (had && had.updatedAt > r.updatedAt) return s;
    const next: UploadState = { state: r.state, attempts: r.attempts, updatedAt: r.updatedAt, seqno: r.last.seqno };
    return { uploads: { ...s.uploads, [r.id]: next } };
  });
}

/** The record's state now (an event may have come before the reply that named it); events keep it current. */
export function followRecord(id: number): void {
  void api.getRecord({ id }).then((r) => {
    if (r.ok) noteRecord(r.value);
  });
}

onConsoleEvent((e) => {
  if (e.type === 'record' && useExit.getState().saved.some((s) => s.id === e.record.id)) noteRecord(e.record);
});

/**
 * 补推 / 修改后重推 from the log or the queue: the stored leave record into the form, the serial fixed (the same
 * exit), the field the platform refused highlighted; then the screen. Null when done, else why not, in words.
 */
export async function openRepush(id: number): Promise<string | null> {
  const r = await api.getRecord({ id });
  if (!r.ok) return `无法读取记录 #${id}: ${r.error.message}`;
  const record = r.value;
  if (record.endpoint !== 'leave') return `记录 #${id} 不是离场记录`;
  const highlight = highlightOf(record.last);
  useExit.setState({
    draft: draftFromRecord(record.record, zone()),
    errors: {},
    formError: null,
    repush: {
      id: record.id,
      key: record.key,
      state: record.state,
      acceptedAt: record.acceptedAt,
      seqno: record.last.seqno,
      highlight,
    },
    unlocked: record.state !== 'accepted',
  });
  useNav.getState().go('exit');
  return null;
}
