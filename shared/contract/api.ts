/**
 * The one contract between the console's renderer and its main process, whichever host carries it
 * (Electron IPC through the preload, or the preview host's HTTP + event stream). Each method has a
 * zod input schema (checked again in the main process), an output type and an access level
 * (manager-only methods are refused by the main process). Replies are values, never exceptions:
 * `{ ok: true, value }` or `{ ok: false, error: { code, message, issues? } }`. No reply and no
 * event ever carries the app secret.
 */
import { z } from 'zod';
import { ENDPOINT_NAMES, type Endpoint } from '../platform/endpoints.ts';
import { OUTCOME_KINDS } from '../platform/outcome.ts';
import type { FieldIssue } from '../records/fields.ts';
import { textProblem } from '../records/text-rules.ts';
import {
  type AuditEntry,
  type LogPage,
  type QueueEvent,
  type QueueStatus,
  type QueuedRecord,
  RECORD_STATES,
} from './queue.ts';
import {
  PLATFORM_KINDS,
  type PlatformKind,
  type PublicSettings,
  settingsSchema,
  settingsUpdateSchema,
} from './settings.ts';
import type { ExportFile, HostNotice } from './host.ts';
import { METHOD_ACCESS, type Access, type MethodName } from './methods.ts';
import { releaseFormSchema } from './release-form.ts';
import {
  exitFormSchema,
  exitWarningsSchema,
  type ExitWarnings,
  type ImagePreview,
  imagePreviewSchema,
  type ImagesFolder,
  type SubmitExitResult,
} from './exit.ts';
import {
  type FileDownload,
  type ImportCommitResult,
  type ImportPreview,
  type ImportProgress,
  importCheckSchema,
  importCommitSchema,
  importFileSchema,
  type RenewalDefaults,
  renewalFormSchema,
  type SubmitRenewalResult,
} from './vip.ts';

export type { Access, MethodName } from './methods.ts';
export type { FieldIssue } from '../records/fields.ts';

// ---- values that cross the boundary ----

export interface Session {
  /** Who is on shift: fills every operator field. */
  operator: string | null;
  shiftStartedAt: number | null;
  /** Manager actions unlocked with the PIN (locks itself after `autoLockMs` without activity). */
  manager: boolean;
  /** Who unlocked (asked at every unlock): the audit names this person, not the guard on shift. */
  managerName: string | null;
  managerPinSet: boolean;
  autoLockMs: number;
  /** Too many wrong PINs: no attempt is taken before this instant. */
  lockedOutUntil: number | null;
  /** Names of earlier shifts, most recent first, to pick from. */
  knownOperators: string[];
}

/** Where records go now, for the status bar. */
export interface Target {
  platform: PlatformKind;
  label: string;
  baseUrl: string;
  sandbox: boolean;
  mode: 'integration' | 'production';
}

export interface ConsoleStatus {
  queue: QueueStatus;
  target: Target;
  /** Whether the last attempt reached the platform (any answer); null before the first. */
  online: boolean | null;
  lastAttemptAt: number | null;
}

export interface RecentSerial {
  parkingSerial: string;
  plate: string | null;
  endpoint: Endpoint;
  at: number;
}

export interface SubmitReleaseResult {
  id: number;
  flowNo: string;
  record: QueuedRecord | null;
}

export interface CsvExport {
  /** UTF-8 text with a byte-order mark (so that Excel reads the Chinese), written in the data folder: save it. */
  file: ExportFile;
  rows: number;
  /** More rows matched than an export holds (EXPORT_MAX_ROWS). */
  truncated: boolean;
  /** For the person who exported: how many rows, the file's name and where it goes. */
  message: string;
}

export interface RetryNowResult {
  /** Records made due now (waiting ones only). */
  retried: number;
}

export const EXPORT_MAX_ROWS = 100_000;
/** The most push-log rows one queryLog call returns. */
export const LOG_PAGE_MAX = 5000;

export type ApiErrorCode =
  | 'invalid'
  | 'manager-required'
  | 'shift-required'
  | 'wrong-pin'
  | 'locked-out'
  | 'not-found'
  | 'conflict'
  | 'unknown-method'
  | 'unavailable'
  | 'unauthorized'
  | 'not-set-up'
  | 'internal';

export interface ApiError {
  code: ApiErrorCode;
  /** One sentence in Chinese for the person at the booth. */
  message: string;
  /** Each bad field with what is wrong with it. */
  issues?: FieldIssue[];
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export type ConsoleEvent =
  | QueueEvent
  | { type: 'session'; session: Session }
  | { type: 'settings'; settings: PublicSettings; target: Target }
  | ImportProgress
  | { type: 'host'; notice: HostNotice };

// ---- input schemas ----

const none = z.strictObject({}).optional();
const id = z.number({ error: '记录编号须为整数' }).int('记录编号须为整数').positive('记录编号须为正整数');
/** A person's name as the audit keeps it: 1 to 32 characters, nothing invisible. */
const personName = (who: string) =>
  z
    .string({ error: `请输入${who}姓名` })
    .trim()
    .min(1, `请输入${who}姓名`)
    .max(32, '姓名不能超过 32 个字')
    .refine((s) => textProblem(s) === null, '姓名不能含控制字符或看不见的字符');
const operatorName = personName('值班人');
const managerName = personName('管理员');
const pin = z.string({ error: '请输入管理密码' }).regex(/^\d{4,8}$/, '管理密码为 4 到 8 位数字');
/**
 * The first start, by the person installing the console: the manager PIN, who they are, the station id and where
 * records go, in one step. Until it is done the booth's own methods are refused (not-set-up).
 */
export const setupSchema = z.strictObject({
  pin,
  name: managerName,
  stationId: settingsSchema.shape.stationId,
  platform: settingsSchema.shape.platform,
  customBaseUrl: settingsSchema.shape.customBaseUrl.optional(),
  parkUuid: settingsSchema.shape.parkUuid.optional(),
  appId: settingsSchema.shape.appId.optional(),
  apiType: settingsSchema.shape.apiType.optional(),
  appSecret: settingsUpdateSchema.shape.appSecret,
  keepSecretInKeyFile: settingsUpdateSchema.shape.keepSecretInKeyFile,
  mode: settingsSchema.shape.mode.optional(),
});
export type SetupInput = z.input<typeof setupSchema>;

const actionReason = (label: string) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(2, `请填写${label} (至少 2 个字)`)
    .max(200, `${label}不能超过 200 个字`);

export const logFilterSchema = z.strictObject({
  endpoint: z.enum(ENDPOINT_NAMES, { error: '接口须为 update、leave 或 vip-recharge' }).optional(),
  outcome: z.enum(OUTCOME_KINDS, { error: '结果须为 accepted、ignored、rejected、auth 或 retry' }).optional(),
  plate: z.string().trim().max(16, '车牌不能超过 16 个字').optional(),
  key: z.string().trim().max(64, '编号不能超过 64 个字').optional(),
  from: z.number({ error: '开始时间无效' }).int('开始时间无效').nonnegative('开始时间无效').optional(),
  to: z.number({ error: '结束时间无效' }).int('结束时间无效').nonnegative('结束时间无效').optional(),
});
export const logQuerySchema = logFilterSchema.extend({
  beforeId: z.number().int().positive().optional(),
  limit: z
    .number({ error: '条数须为整数' })
    .int('条数须为整数')
    .min(1, '至少 1 条')
    .max(LOG_PAGE_MAX, `一次最多 ${LOG_PAGE_MAX} 条`)
    .optional(),
});

const recordEdit = z.record(
  z.string().regex(/^[a-z_]{1,40}$/, '字段名无效'),
  z.union([z.string().max(1024, '过长'), z.number(), z.null()]),
);

// ---- the table ----

interface MethodDef<I extends z.ZodType, O> {
  input: I;
  access: Access;
  /** Reading only: does not count as activity for the manager's idle lock. */
  passive: boolean;
  title: string;
  /** Type-level only: the method's output. */
  readonly output?: O;
}

function method<O>() {
  return <I extends z.ZodType>(input: I, title: string, passive = false) =>
    ({ input, title, passive }) as { input: I; title: string; passive: boolean; readonly output?: O };
}

const defs = {
  getSession: method<Session>()(none, '当前班次', true),
  startShift: method<Session>()(z.strictObject({ operator: operatorName }), '开始交班'),
  endShift: method<Session>()(none, '结束交班'),
  // The name is asked at every unlock (the renderer requires it); without one the audit says 管理员.
  unlockManager: method<Session>()(z.strictObject({ pin, name: managerName.optional() }), '管理员解锁'),
  lockManager: method<Session>()(none, '管理员锁定'),
  setupPin: method<Session>()(z.strictObject({ pin, name: managerName.optional() }), '首次设置管理密码'),
  completeSetup: method<Session>()(setupSchema, '首次设置'),
  getStatus: method<ConsoleStatus>()(none, '状态', true),
  getSettings: method<PublicSettings>()(none, '读取设置', true),
  updateSettings: method<PublicSettings>()(settingsUpdateSchema.strict(), '保存设置'),
  clearSecret: method<PublicSettings>()(
    z.strictObject({
      platform: z.enum(PLATFORM_KINDS, { error: '平台须为 sandbox、integration、production 或 custom' }).optional(),
    }),
    '删除密钥',
  ),
  submitRelease: method<SubmitReleaseResult>()(releaseFormSchema, '保存异常放行'),
  recentSerials: method<RecentSerial[]>()(
    z.strictObject({ plate: z.string().trim().min(1, '请输入车牌').max(16, '车牌不能超过 16 个字') }),
    '按车牌查停车流水号',
    true,
  ),
  queryLog: method<LogPage>()(logQuerySchema, '查询推送日志', true),
  exportLogCsv: method<CsvExport>()(logFilterSchema, '导出推送日志'),
  listRecords: method<QueuedRecord[]>()(
    z.strictObject({
      states: z
        .array(z.enum(RECORD_STATES, { error: '状态无效' }))
        .max(5)
        .optional(),
      endpoint: z.enum(ENDPOINT_NAMES, { error: '接口无效' }).optional(),
      stuck: z.boolean().optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    }),
    '列出记录',
    true,
  ),
  getRecord: method<QueuedRecord>()(z.strictObject({ id }), '读取记录', true),
  resubmitRecord: method<QueuedRecord>()(z.strictObject({ id, changes: recordEdit.optional() }), '修改并重新上传'),
  retryNow: method<RetryNowResult>()(z.strictObject({ id: id.optional() }), '立即重试'),
  cancelRecord: method<QueuedRecord>()(z.strictObject({ id, reason: actionReason('作废原因') }), '作废记录'),
  pauseQueue: method<QueueStatus>()(z.strictObject({ reason: actionReason('暂停原因') }), '暂停上传'),
  resumeQueue: method<QueueStatus>()(none, '恢复上传'),
  listAudit: method<AuditEntry[]>()(z.strictObject({ recordId: id.optional() }).optional(), '操作记录', true),
  submitRenewal: method<SubmitRenewalResult>()(renewalFormSchema, '保存固定车续费'),
  renewalDefaults: method<RenewalDefaults>()(
    z.strictObject({ plate: z.string().trim().max(16, '车牌不能超过 16 个字').optional() }),
    '续费默认值',
    true,
  ),
  checkVipImport: method<ImportPreview>()(importCheckSchema, '检查续费表格'),
  commitVipImport: method<ImportCommitResult>()(importCommitSchema, '导入续费表格'),
  vipImportBadRows: method<FileDownload>()(importFileSchema, '导出有误的行'),
  vipTemplate: method<FileDownload>()(none, '下载续费模板', true),
  submitExit: method<SubmitExitResult>()(exitFormSchema, '保存离场补推'),
  exitWarnings: method<ExitWarnings>()(exitWarningsSchema, '离场补推提醒', true),
  imagePreview: method<ImagePreview>()(imagePreviewSchema, '预览图片', true),
  imagesFolder: method<ImagesFolder>()(none, '图片文件夹大小', true),
  hostNotices: method<HostNotice[]>()(none, '宿主提示', true),
  exportSupportLogs: method<ExportFile>()(none, '导出运行日志', true),
} satisfies Record<MethodName, { input: z.ZodType; title: string; passive: boolean }>;

type Defs = typeof defs;

export type Api = { [M in MethodName]: MethodDef<Defs[M]['input'], NonNullable<Defs[M]['output']>> };

export const API: Api = Object.fromEntries(
  Object.entries(defs).map(([name, d]) => [name, { ...d, access: METHOD_ACCESS[name as MethodName] }]),
) as Api;

export type InputOf<M extends MethodName> = z.input<Api[M]['input']>;
export type ParsedInputOf<M extends MethodName> = z.output<Api[M]['input']>;
export type OutputOf<M extends MethodName> = NonNullable<Api[M]['output']>;

/** The renderer's view of the contract: one named function per method, plus the event stream. */
export type BoothApi = {
  [M in MethodName]: undefined extends InputOf<M>
    ? (input?: InputOf<M>) => Promise<ApiResult<OutputOf<M>>>
    : (input: InputOf<M>) => Promise<ApiResult<OutputOf<M>>>;
} & {
  onEvent(listener: (event: ConsoleEvent) => void): () => void;
};

/** Whether an attempt reached the platform at all (any HTTP answer), for the online indicator. */
export function reachedPlatform(row: { httpStatus: number | null }): boolean {
  return row.httpStatus !== null;
}
