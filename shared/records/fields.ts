/**
 * Field builders for the record schemas: every rule says what is wrong in Chinese, and every
 * problem is reported with the field it belongs to (row[2].pay_partner, payment_list[0].value).
 */
import { z } from 'zod';
import type { EnumOption } from './enums.ts';
import { parseUtc } from './time.ts';

export interface FieldIssue {
  field: string;
  message: string;
}

/** Input refused with every bad field named: the message says `<what>有误: field: why; …`. */
export class FieldIssuesError extends Error {
  readonly issues: FieldIssue[];
  constructor(what: string, issues: FieldIssue[]) {
    super(`${what}有误: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
    this.name = 'FieldIssuesError';
    this.issues = issues;
  }
}

/** A record that breaks the contract, with every bad field named. */
export class RecordError extends FieldIssuesError {
  constructor(issues: FieldIssue[]) {
    super('记录', issues);
    this.name = 'RecordError';
  }
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
const numberToString = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v);

/** Required: absent, null and blank all answer 必填. */
export function req<T extends z.ZodType>(inner: T) {
  return z.preprocess((v) => (isBlank(v) ? undefined : v), z.any().refine((v) => v !== undefined, '必填').pipe(inner));
}

/** Optional: absent, null and blank are all "not sent" (the platform must never get an empty field). */
export function opt<T extends z.ZodType>(inner: T) {
  return z.preprocess((v) => (isBlank(v) ? undefined : v), inner.optional());
}

/** Text up to `max` characters; numbers are taken as their decimal text. */
export function text(max: number) {
  return z.preprocess(
    numberToString,
    z
      .string({ error: '须为文本' })
      .trim()
      .max(max, `不能超过 ${max} 个字符`)
      .refine((s) => !/[\u0000-\u001f]/.test(s), '不能含控制字符'),
  );
}

/** One of the vendor's enumerations (value as a string; a number is taken as its text). */
export function enumOf<const T extends readonly EnumOption[]>(list: T) {
  const allowed = list.map((o) => o.value);
  const hint = list.map((o) => `${o.value}(${o.label})`).join(', ');
  return z.preprocess(
    numberToString,
    z.string({ error: `须为以下之一: ${hint}` }).refine((v) => allowed.includes(v), `须为以下之一: ${hint}`),
  ) as unknown as z.ZodType<T[number]['value']>;
}

/** UTC instant as the update endpoint wants it: yyyy-MM-dd'T'HH:mm:ss'Z' (milliseconds allowed). */
export function utcTime() {
  return z
    .string({ error: "须为 UTC 时间, 格式 yyyy-MM-dd'T'HH:mm:ss'Z'" })
    .trim()
    .refine((s) => parseUtc(s) !== null, "须为 UTC 时间, 格式 yyyy-MM-dd'T'HH:mm:ss'Z', 例如 2022-09-01T00:00:00Z");
}

const DIGITS = /^\d+$/;

/** Epoch milliseconds (the leave endpoint's times), as the decimal text the form sends. */
export function epochMs() {
  return z.preprocess(
    numberToString,
    z
      .string({ error: '须为毫秒时间戳' })
      .refine((s) => DIGITS.test(s) && s.length >= 12 && s.length <= 14, '须为毫秒时间戳 (13 位数字)'),
  );
}

/** Integer fen (分), as decimal text for the form endpoints. */
export function fenText() {
  return z.preprocess(
    numberToString,
    z.string({ error: '须为整数金额(分)' }).refine((s) => DIGITS.test(s) && s.length <= 12, '须为整数金额(分), 不能有小数或负数'),
  );
}

/** Integer fen (分), as a JSON number. */
export function fenNumber() {
  return z.preprocess(
    (v) => (typeof v === 'string' && DIGITS.test(v.trim()) ? Number(v.trim()) : v),
    z.number({ error: '须为整数金额(分)' }).int('须为整数金额(分), 不能有小数').min(0, '不能为负数').max(1e11, '金额过大'),
  );
}

/** A non-negative integer (counts such as quantity, parking spaces). */
export function count(max: number) {
  return z.preprocess(
    (v) => (typeof v === 'string' && DIGITS.test(v.trim()) ? Number(v.trim()) : v),
    z.number({ error: '须为整数' }).int('须为整数').min(0, '不能为负数').max(max, `不能大于 ${max}`),
  );
}

function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(记录)';
}

/** Zod's problems as FieldIssue, unknown keys named one by one. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const i of error.issues) {
    if (i.code === 'unrecognized_keys') {
      for (const key of i.keys) issues.push({ field: fieldPath([...i.path, key]), message: '不是此接口的字段' });
    } else if (i.code === 'invalid_type' && i.input === undefined) {
      issues.push({ field: fieldPath(i.path), message: '必填' });
    } else {
      issues.push({ field: fieldPath(i.path), message: i.message });
    }
  }
  return issues;
}

/** Parses with a schema (and checks of the raw input beside it); throws RecordError naming every bad field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, rawChecks?: (input: unknown) => FieldIssue[]): z.output<T> {
  const result = schema.safeParse(input);
  const issues = [...(result.success ? [] : toFieldIssues(result.error)), ...(rawChecks?.(input) ?? [])];
  if (issues.length > 0 || !result.success) throw new RecordError(issues);
  return result.data;
}
