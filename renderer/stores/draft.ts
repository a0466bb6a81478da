/**
 * The abnormal release being typed: kept here, not in the screen, so that switching to another screen (Alt+4) and
 * back (Alt+2) finds it as it was, with its red hints and the field that had the focus.
 */
import { create } from 'zustand';
import type { ReleaseField } from '../../shared/contract/release-form.ts';
import { defaultColor, emptyDraft, plateKind, type Draft, type FieldErrors } from '../screens/release-draft.ts';

export const PROVINCE_KEY = 'booth.province';

function storedProvince(): string {
  try {
    return globalThis.localStorage?.getItem(PROVINCE_KEY) ?? '粤';
  } catch {
    return '粤';
  }
}

interface DraftState {
  draft: Draft;
  errors: FieldErrors;
  formError: string | null;
  /** The field that had the focus last (data-nav), to come back to. */
  lastNav: string | null;
  /** Changes the draft (the colour follows the plate until picked) and clears the hints of `clear`. */
  update(change: Partial<Draft>, clear?: ReleaseField[]): void;
  /** Changes the draft as it is (the clock of the operate time). */
  map(fn: (d: Draft) => Draft): void;
  setErrors(errors: FieldErrors, formError: string | null): void;
  setLastNav(nav: string | null): void;
  /** After a save: an empty form that keeps the province and the car type. */
  clear(operateText: string): void;
}

export const useDraftStore = create<DraftState>((set) => ({
  draft: emptyDraft({ province: storedProvince(), carType: '1' }),
  errors: {},
  formError: null,
  lastNav: null,
  update: (change, clear = []) =>
    set((s) => {
      const draft = { ...s.draft, ...change };
      if (!draft.plateColorTouched) draft.plateColor = defaultColor(plateKind(draft)) ?? draft.plateColor;
      if (clear.length === 0) return { draft };
      const errors = Object.fromEntries(
        Object.entries(s.errors).filter(([k]) => !clear.includes(k as ReleaseField)),
      ) as FieldErrors;
      return { draft, errors };
    }),
  map: (fn) =>
    set((s) => {
      const draft = fn(s.draft);
      return draft === s.draft ? s : { draft };
    }),
  setErrors: (errors, formError) => set({ errors, formError }),
  setLastNav: (lastNav) => set({ lastNav }),
  clear: (operateText) =>
    set((s) => {
      try {
        globalThis.localStorage?.setItem(PROVINCE_KEY, s.draft.province);
      } catch {
        // a PC without storage keeps the province for this run only
      }
      return {
        draft: { ...emptyDraft({ province: s.draft.province, carType: s.draft.carType }), operateText },
        errors: {},
        formError: null,
        lastNav: 'plate',
      };
    }),
}));
