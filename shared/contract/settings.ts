/**
 * The console's settings as the renderer sees them: the app secret is write-only (only whether
 * one is set comes back), the manager PIN likewise. Validated with zod in the main process.
 */
import { z } from 'zod';
import { textProblem } from '../records/text-rules.ts';
import { isValidTimeZone, DEFAULT_TIME_ZONE } from '../records/time.ts';

export const PLATFORM_KINDS = ['sandbox', 'integration', 'production', 'custom'] as const;
export type PlatformKind = (typeof PLATFORM_KINDS)[number];
export const PLATFORM_KIND_LABELS: Record<PlatformKind, string> = {
  sandbox: '内置沙箱',
  integration: '厂商联调环境',
  production: '正式环境',
  custom: '自定义地址',
};

export const DEFAULT_REASONS = ['设备异常', '识别失败', '无牌车', '特殊车辆', '领导指示', '收费纠纷'];

export const settingsSchema = z.object({
  platform: z.enum(PLATFORM_KINDS, { error: '平台须为 sandbox、integration、production 或 custom' }),
  customBaseUrl: z
    .string()
    .trim()
    .refine((s) => s === '' || /^https?:\/\/[^\s/]+/.test(s), '须为 http:// 或 https:// 开头的地址'),
  parkUuid: z.string().trim().max(64, '不能超过 64 个字符'),
  /** 车场名称: shown on the screens, and typed by a manager to confirm a full VIP upload (complete=1). */
  parkName: z
    .string()
    .trim()
    .max(40, '不能超过 40 个字')
    .refine((s) => textProblem(s) === null, '不能含控制字符或看不见的字符'),
  appId: z.string().trim().max(64, '不能超过 64 个字符'),
  apiType: z.string().trim().max(64, '不能超过 64 个字符'),
  /** Part of every flow_no, so that several booth PCs of one car park never mint the same one. */
  stationId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{1,8}$/, '须为 1 到 8 位字母或数字'),
  mode: z.enum(['integration', 'production'], { error: '模式须为 integration(联调) 或 production(正式)' }),
  encodingUrl: z.boolean({ error: '须为是或否' }),
  vipBatchSize: z.number({ error: '须为整数' }).int('须为整数').min(1, '至少 1').max(1000, '不能超过 1000'),
  ratePerSecond: z.number({ error: '须为数字' }).min(0.1, '至少 0.1').max(100, '不能超过 100'),
  concurrency: z.number({ error: '须为整数' }).int('须为整数').min(1, '至少 1').max(8, '不能超过 8'),
  timeZone: z.string().refine(isValidTimeZone, '不是有效的时区, 例如 Asia/Shanghai'),
  reasons: z.array(z.string().trim().min(1, '不能为空').max(50, '不能超过 50 个字符')).max(50, '不能超过 50 条'),
  logRetentionDays: z.number({ error: '须为整数' }).int('须为整数').min(7, '至少 7 天').max(3650, '不能超过 3650 天'),
  stuckAfterAttempts: z.number({ error: '须为整数' }).int('须为整数').min(1, '至少 1').max(1000, '不能超过 1000'),
  backoffCapMs: z
    .number({ error: '须为整数' })
    .int('须为整数')
    .min(1000, '至少 1000')
    .max(24 * 3600 * 1000, '不能超过一天'),
  timeoutMs: z.number({ error: '须为整数' }).int('须为整数').min(1000, '至少 1000').max(120_000, '不能超过 120000'),
  /** 开机自动启动: the desktop program starts when Windows logs in (the Electron host applies it; no effect elsewhere). */
  startAtLogin: z.boolean({ error: '须为是或否' }),
});
export type Settings = z.output<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  platform: 'sandbox',
  customBaseUrl: '',
  parkUuid: '',
  parkName: '',
  appId: '',
  apiType: '',
  stationId: 'ST01',
  mode: 'integration',
  encodingUrl: false,
  vipBatchSize: 200,
  ratePerSecond: 10,
  concurrency: 2,
  timeZone: DEFAULT_TIME_ZONE,
  reasons: DEFAULT_REASONS,
  logRetentionDays: 180,
  stuckAfterAttempts: 10,
  backoffCapMs: 10 * 60 * 1000,
  timeoutMs: 10_000,
  startAtLogin: false,
};

/**
 * A change to the settings: any subset, plus a new secret or PIN (never read back). The credentials (parkUuid, appId,
 * apiType, appSecret) are those of the platform in force after the change.
 */
export const settingsUpdateSchema = settingsSchema.partial().extend({
  appSecret: z.string().min(1, '不能为空').max(256, '过长').optional(),
  managerPin: z
    .string()
    .regex(/^\d{4,8}$/, '须为 4 到 8 位数字')
    .optional(),
  /**
   * The manager agreed to keep a new secret in the console's own key file (secretStorage 'keyfile'): without it the
   * contract refuses a new secret there. Never stored.
   */
  keepSecretInKeyFile: z.boolean({ error: '须为是或否' }).optional(),
});
export type SettingsUpdate = z.input<typeof settingsUpdateSchema>;

/**
 * How the app secret is kept at rest: `system`, encrypted by the operating system (safeStorage: DPAPI on Windows);
 * `keyfile`, where the system offers none (the preview host, Linux without a keyring): AES-256-GCM under a key in the
 * data folder's `secret.key`, which protects it in copies of the settings file but not from whoever can read the whole
 * folder. A new secret is kept in the key file only when the manager confirms it (keepSecretInKeyFile).
 */
export type SecretStorage = 'system' | 'keyfile';

export const SECRET_STORAGE_LABELS: Record<SecretStorage, string> = {
  system: '系统加密保存 (Windows 数据保护)',
  keyfile: '数据目录的密钥文件 (secret.key)',
};

/** What the settings screen and the first-start page say, and what the contract's refusal says, for a key file. */
export const KEYFILE_NOTICE =
  '本机系统不提供密钥加密, 密钥将加密保存在数据目录的密钥文件中 (secret.key): 能读取整个数据目录的人可以解出密钥, ' +
  '请只让管理员访问该目录.';
export const KEYFILE_CONFIRM = '我已了解, 同意把密钥保存在数据目录的密钥文件中';
/** The secret field's error when a new secret comes without that confirmation. */
export const KEYFILE_UNCONFIRMED = '本机只能把密钥保存在密钥文件中: 请先勾选确认';

/** What each platform choice keeps for itself (with its own secret, never read back). */
export const CREDENTIAL_KEYS = ['parkUuid', 'appId', 'apiType'] as const;
export type PlatformCredentials = Pick<Settings, (typeof CREDENTIAL_KEYS)[number]>;

export interface PublicSettings extends Settings {
  /** Whether the platform in force has a secret. */
  secretSet: boolean;
  /** How a secret is kept on this PC (SecretStorage): `keyfile` asks the manager to confirm a new one. */
  secretStorage: SecretStorage;
  managerPinSet: boolean;
  /**
   * Each platform's own credentials (the one in force: the same as parkUuid, appId and apiType above). Switching the
   * platform brings that platform's back; a change's parkUuid, appId, apiType and appSecret are for the platform in
   * force after it.
   */
  platforms: Record<PlatformKind, PlatformCredentials & { secretSet: boolean }>;
}
