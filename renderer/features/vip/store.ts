/**
 * 固定车续费's state, kept outside the screen so that another screen and back finds it as it was: the renewal being
 * typed (with its red hints), the renewals saved in this run, and the spreadsheet being imported (its check, the
 * preview, the commit's result). The import's progress and the saved records' upload states come from the event
 * stream.
 */
import { create } from 'zustand';
import type { ApiResult } from '../../../shared/contract/api.ts';
import type { QueuedRecord } from '../../../shared/contract/queue.ts';
import type {
  FileDownload,
  ImportCommitResult,
  ImportMapping,
  ImportPreview,
  ImportProgress,
  ImportRowStatus,
  RenewalDefaults,
  SubmitRenewalResult,
} from '../../../shared/contract/vip.ts';
import type { PickedFile } from '../../../shared/contract/host.ts';
import { api, binding } from '../../binding.ts';
import { parkToday } from '../../components/typed-values.ts';
import { onConsoleEvent, useConsole } from '../../stores/console.ts';
import type { FormField } from './fields.ts';
import { emptyRenewal, plateOfRenewal, type RenewalDraft, type RenewalErrors, withFollowers } from './renewal-draft.ts';

export type VipTab = 'one' | 'import';

const zone = () => useConsole.getState().settings?.timeZone ?? 'Asia/Shanghai';

/** Where a saved record is now, as the event stream last said. */
export interface UploadState {
  state: QueuedRecord['state'];
  attempts: number;
  updatedAt: number;
}

export interface SavedRenewal extends SubmitRenewalResult {
  plate: string;
  savedAt: number;
}

/** Why the start is what it is, said next to it while it is the default. */
export interface StartNote {
  plate: string;
  day: string;
  text: string;
}

interface VipState {
  tab: VipTab;
  draft: RenewalDraft;
  errors: RenewalErrors;
  formError: string | null;
  startNote: StartNote | null;
  /** 收费类型 used before at this car park (renewalDefaults), most recent first. */
  chargeTypes: string[];
  /** This run's renewals, newest first. */
  saved: SavedRenewal[];
  /** Upload state of saved renewals and imported batches, by record id. */
  uploads: Record<number, UploadState>;
  setTab(tab: VipTab): void;
  /** One field's problem, shown when the field is left (or cleared when it has none). */
  setFieldError(field: FormField, message: string | undefined): void;
  /** Changes the draft (colour and end follow until set by hand) and clears the hints of `clear`. */
  update(change: Partial<RenewalDraft>, clear?: FormField[]): void;
  setErrors(errors: RenewalErrors, formError: string | null): void;
  /** The plate's defaults, if the plate is still the one in the box. */
  applyDefaults(plate: string, defaults: RenewalDefaults | null): void;
  setChargeTypes(list: string[]): void;
  /** After a save: the confirmation, and an empty form that keeps the province, the type and the pay type. */
  saved1(result: SavedRenewal): void;
}

function without<T extends object>(errors: T, clear: readonly string[]): T {
  if (clear.length === 0) return errors;
  return Object.fromEntries(Object.entries(errors).filter(([k]) => !clear.includes(k))) as T;
}

export function startNoteText(defaults: RenewalDefaults | null): string {
  if (defaults === null) return '未能读取上次续费, 从今天开始';
  if (defaults.startDay !== null && defaults.last?.endDay) return `上次续费到 ${defaults.last.endDay}, 从次日开始`;
  if (defaults.startDay !== null) return '从上次续费结束的次日开始';
  return '本机无该车续费记录, 从今天开始';
}

export const useVip = create<VipState>((set) => ({
  tab: 'one',
  draft: emptyRenewal(),
  errors: {},
  formError: null,
  startNote: null,
  chargeTypes: [],
  saved: [],
  uploads: {},
  setTab: (tab) => set({ tab }),
  update: (change, clear = []) =>
    set((s) => ({
      draft: withFollowers({ ...s.draft, ...change }, zone()),
      errors: without(s.errors, clear),
      formError: clear.length > 0 ? null : s.formError,
    })),
  setErrors: (errors, formError) => set({ errors, formError }),
  setFieldError: (field, message) =>
    set((s) => (s.errors[field] === message ? s : { errors: { ...s.errors, [field]: message } })),
  applyDefaults: (plate, defaults) =>
    set((s) => {
      if (plateOfRenewal(s.draft) !== plate) return s;
      const d = { ...s.draft };
      let startNote = s.startNote;
      if (!d.startTouched) {
        d.startDay = defaults?.startDay ?? parkToday(zone());
        startNote = { plate, day: d.startDay, text: startNoteText(defaults) };
      }
      const last = defaults?.last ?? null;
      if (last && !d.vipTypeTouched) d.vipType = last.vipType;
      if (last && !d.chargeTypeTouched && d.chargeType.trim() === '') d.chargeType = last.chargeType;
      return {
        draft: withFollowers(d, zone()),
        startNote,
        chargeTypes: defaults?.chargeTypes.length ? defaults.chargeTypes : s.chargeTypes,
        errors: without(s.errors, ['start_day', 'end_day', 'vip_type', 'charge_type']),
      };
    }),
  setChargeTypes: (chargeTypes) => set({ chargeTypes }),
  saved1: (result) =>
    set((s) => ({
      saved: [result, ...s.saved.filter((x) => x.id !== result.id || x.payPartner !== result.payPartner)].slice(0, 20),
      draft: emptyRenewal({
        province: s.draft.province,
        vipType: s.draft.vipType,
        payType: s.draft.payType,
        chargeType: s.draft.chargeType,
      }),
      errors: {},
      formError: null,
      startNote: null,
    })),
}));

// ---- the import ----

export type ImportStage = 'idle' | 'checking' | 'preview' | 'committing' | 'done';
export type RowFilter = 'all' | ImportRowStatus;

export interface CommitOutcome {
  complete: boolean;
  value: ImportCommitResult;
}

interface ImportState {
  stage: ImportStage;
  file: PickedFile | null;
  progress: ImportProgress | null;
  preview: ImportPreview | null;
  filter: RowFilter;
  /** The last thing that went wrong, in plain Chinese. */
  error: string | null;
  /** The last file saved (template, bad rows): where it went, or that it was not saved. */
  notice: { text: string; saved: boolean } | null;
  result: CommitOutcome | null;
  batchSize: number | null;
  setFilter(filter: RowFilter): void;
  setBatchSize(n: number | null): void;
}

export const useImport = create<ImportState>((set) => ({
  stage: 'idle',
  file: null,
  progress: null,
  preview: null,
  filter: 'all',
  error: null,
  notice: null,
  result: null,
  batchSize: null,
  setFilter: (filter) => set({ filter }),
  setBatchSize: (batchSize) => set({ batchSize }),
}));

/** An error reply in words: the issues' own sentences when there are any (they say what to do), else the message. */
export function errorText(error: { message: string; issues?: { field: string; message: string }[] }): string {
  const issues = (error.issues ?? []).map((i) => i.message).filter((m) => m.trim() !== '');
  return issues.length > 0 ? issues.join('; ') : error.message;
}

export const isBusy = (stage: ImportStage) => stage === 'checking' || stage === 'committing';

/**
 * 选择文件: the host's dialog (called straight from the click, before anything is awaited: a browser opens its file
 * dialog only for a person's action), then the check.
 */
export async function pickAndCheck(): Promise<void> {
  const s = useImport.getState();
  if (isBusy(s.stage)) return;
  const picking = binding.files.pickFile({ title: '选择续费表格', extensions: ['xlsx', 'csv'] });
  useImport.setState({ error: null, notice: null });
  let picked: PickedFile | null;
  try {
    picked = await picking;
  } catch (e) {
    useImport.setState({ error: `没有读到文件: ${(e as Error).message}` });
    return;
  }
  if (picked === null) return; // closed without a file: nothing changes
  useImport.setState({ file: picked, preview: null, result: null, filter: 'all', batchSize: null });
  await check();
}

/** checkVipImport for the file picked, with the columns mapped by hand when given. */
export async function check(mapping?: ImportMapping): Promise<void> {
  const file = useImport.getState().file;
  if (!file) return;
  useImport.setState({ stage: 'checking', progress: null, error: null, notice: null });
  const r = await api.checkVipImport(mapping ? { file: file.handle, mapping } : { file: file.handle });
  if (useImport.getState().file?.handle !== file.handle) return; // another file was picked meanwhile
  if (!r.ok) {
    const had = useImport.getState().preview;
    useImport.setState({
      stage: had ? 'preview' : 'idle',
      progress: null,
      error: `检查表格失败: ${errorText(r.error)}`,
    });
    return;
  }
  useImport.setState({ stage: 'preview', progress: null, preview: r.value, result: null });
}

/** Queues the good rows (or, for a full upload, every row after the platform's list is emptied). */
export async function commit(full: { confirmParkName: string } | null): Promise<string | null> {
  const { file, preview, batchSize } = useImport.getState();
  if (!file || !preview) return '请先选择文件';
  useImport.setState({ stage: 'committing', progress: null, error: null, notice: null });
  const size = batchSize ?? preview.batchSize;
  const r = await api.commitVipImport(
    full
      ? { file: file.handle, complete: true, confirmParkName: full.confirmParkName, batchSize: size }
      : { file: file.handle, batchSize: size },
  );
  if (useImport.getState().file?.handle !== file.handle) return null;
  if (!r.ok) {
    const message = `${full ? '完整上传' : '导入'}失败, 没有写入上传队列: ${errorText(r.error)}`;
    useImport.setState({ stage: 'preview', progress: null, error: message });
    return message;
  }
  useImport.setState({ stage: 'done', progress: null, result: { complete: full !== null, value: r.value } });
  followRecords(r.value.batches.map((b) => b.id));
  return null;
}

/** A file the main process made (template, bad rows), saved by the host. */
async function save(what: string, made: Promise<ApiResult<FileDownload>>) {
  useImport.setState({ error: null, notice: null });
  const r = await made;
  if (!r.ok) return void useImport.setState({ error: `${what}失败: ${errorText(r.error)}` });
  try {
    const saved = await binding.files.saveFile(r.value);
    useImport.setState({ notice: { text: saved.message || `${what}: 未保存`, saved: saved.saved } });
  } catch (e) {
    useImport.setState({ error: `${what}失败: ${(e as Error).message}` });
  }
}

export const downloadTemplate = () => save('下载模板', api.vipTemplate());

export function exportBadRows(): Promise<void> {
  const file = useImport.getState().file;
  if (!file) return Promise.resolve();
  return save('导出有误的行', api.vipImportBadRows({ file: file.handle }));
}

/** Back to the start: nothing picked. */
export function resetImport(): void {
  if (isBusy(useImport.getState().stage)) return;
  useImport.setState({ stage: 'idle', file: null, progress: null, preview: null, result: null, error: null });
}

// ---- upload states ----

function noteRecord(r: QueuedRecord): void {
  useVip.setState((s) => {
    const had = s.uploads[r.id];
    if (had && had.updatedAt > r.updatedAt) return s;
    return { uploads: { ...s.uploads, [r.id]: { state: r.state, attempts: r.attempts, updatedAt: r.updatedAt } } };
  });
}

/** The records' states now (an event may have come before the reply that named them); events keep them current. */
export function followRecords(ids: readonly number[]): void {
  for (const id of ids.slice(0, 50)) {
    void api.getRecord({ id }).then((r) => {
      if (r.ok) noteRecord(r.value);
    });
  }
}

function watched(id: number): boolean {
  if (useVip.getState().saved.some((s) => s.id === id)) return true;
  return useImport.getState().result?.value.batches.some((b) => b.id === id) ?? false;
}

onConsoleEvent((e) => {
  if (e.type === 'import') {
    const s = useImport.getState();
    if (s.file?.handle === e.file && isBusy(s.stage)) useImport.setState({ progress: e });
    return;
  }
  if (e.type === 'record' && watched(e.record.id)) noteRecord(e.record);
});
