/**
 * 固定车续费 across the process boundary: one renewal from the form, and a spreadsheet import (check, then queue).
 * The form sends codes, fen and local days (shared/records/renewal.ts); the main process applies the record rules.
 * A file is named by the handle its host gave it when it was picked (shared/contract/host.ts).
 */
import { z } from 'zod';
import { receivedKind } from '../records/text-rules.ts';

const typed = (label: string, expected: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? `请输入${label}` : `${label}${expected}, 收到${receivedKind(iss.input)}`;
const str = (label: string) => z.string({ error: typed(label, '须为文字') });
const int = (label: string) => z.number({ error: typed(label, '须为数字') }).int(`${label}须为整数`);

/** One renewal as the form sends it; the operator is the shift's (or the unlocking manager's) name. */
export const renewalFormSchema = z.strictObject({
  plate: str('车牌号码'),
  plate_color: str('车牌颜色'),
  charge_type: str('收费类型'),
  vip_type: str('固定车类型'),
  quantity: int('续费数量'),
  pay_partner: str('车场订单号').optional(),
  pay_type: str('支付方式'),
  value: str('面额').optional(),
  pay_time: int('支付时间').optional(),
  start_day: str('开始日期').optional(),
  end_day: str('结束日期').optional(),
  pay_value: int('支付金额').optional(),
  card_no: str('逻辑卡号').optional(),
  card_id: str('物理卡号').optional(),
});
export type RenewalForm = z.output<typeof renewalFormSchema>;

/** What the form shows before anything is typed for a plate. */
export interface RenewalDefaults {
  /** The day after the same plate's last renewal end this console sent (local YYYY-MM-DD), or null. */
  startDay: string | null;
  /** The last renewal of the plate this console queued, to copy its type and charge type. */
  last: { vipType: string; chargeType: string; endDay: string | null; at: number } | null;
  /** 收费类型 used before at this car park, most recent first. */
  chargeTypes: string[];
}

export interface SubmitRenewalResult {
  id: number;
  /** The batch's key and the row's pay_partner (minted when not typed). */
  key: string;
  payPartner: string;
  /** The same renewal was queued before: nothing new was stored. */
  existing: boolean;
}

/** A header's field (renewal.ts RenewalField names) or null for a column that is not imported. */
export type ImportMapping = Record<string, string | null>;

export const importCheckSchema = z.strictObject({
  file: z.string({ error: '请选择文件' }).min(1, '请选择文件').max(100),
  /** Headers mapped by hand (header text → field); remembered for files with the same headers. */
  mapping: z.record(z.string().max(100), z.string().max(40).nullable()).optional(),
});

export const importCommitSchema = z.strictObject({
  file: z.string({ error: '请选择文件' }).min(1, '请选择文件').max(100),
  /** A full upload (complete=1): the platform deletes every fixed vehicle of the park first. */
  complete: z.boolean().optional(),
  /** Typed by the manager to confirm a full upload: must be the car park's name (settings). */
  confirmParkName: z.string().max(100).optional(),
  batchSize: z.number().int().min(1, '每批至少 1 条').max(1000, '每批不能超过 1000 条').optional(),
});

export const importFileSchema = z.strictObject({
  file: z.string({ error: '请选择文件' }).min(1, '请选择文件').max(100),
});

export interface ImportIssue {
  /** The spreadsheet's own row number (the header row is 1 in a file whose first line is the header). */
  row: number;
  /** The column's header as written in the file, or null for a problem of the whole row. */
  column: string | null;
  field: string | null;
  message: string;
}

export type ImportRowStatus = 'good' | 'already' | 'bad';

/** One row as the preview lists it. */
export interface ImportRowView {
  row: number;
  status: ImportRowStatus;
  plate: string;
  vipType: string;
  startDay: string | null;
  endDay: string | null;
  /** Fen, or null when absent or unreadable. */
  payValue: number | null;
  payPartner: string | null;
  /** For bad rows: every problem, in plain Chinese. */
  problems: string[];
}

export interface ImportPreview {
  file: string;
  fileName: string;
  headers: string[];
  /** How each header was read (aliases, remembered or typed mapping). */
  mapping: ImportMapping;
  /** Required fields no column gives: nothing can be imported until they are mapped. */
  missing: string[];
  rows: number;
  good: number;
  alreadySent: number;
  badRows: number;
  issues: ImportIssue[];
  list: ImportRowView[];
  /** The batch size a commit uses unless told otherwise (settings). */
  batchSize: number;
}

export interface ImportBatchResult {
  id: number;
  key: string;
  rows: number;
  complete: boolean;
}

export interface ImportCommitResult {
  rows: number;
  queued: number;
  alreadySent: number;
  /** Bad rows left out (they can be saved back as a file to fix). */
  skipped: number;
  batches: ImportBatchResult[];
}

/** A file made by the main process for the person to save (template, bad rows): the host saves it. */
export interface FileDownload {
  filename: string;
  mime: string;
  /** The file's bytes, base64. */
  base64: string;
}

export const IMPORT_PHASES = ['read', 'check', 'queue'] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];
export const IMPORT_PHASE_LABELS: Record<ImportPhase, string> = {
  read: '读取文件',
  check: '检查每一行',
  queue: '写入上传队列',
};

export interface ImportProgress {
  type: 'import';
  file: string;
  phase: ImportPhase;
  done: number;
  total: number;
}
