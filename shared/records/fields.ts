/**
 * Field builders for the record schemas: every rule says what is wrong in Chinese, and every
 * problem is reported with the field it belongs to (row[2].pay_partner, payment_list[0].value).
 */
import { z } from 'zod';
import type { EnumOption } from './enums.ts';
import { NO_PLATE, checkPlate } from './plate.ts';
import { receivedKind, textProblem } from './text-rules.ts';
import { parseUtc, recordTimeProblem } from './time.ts';

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
/** Enumerations, times and amounts: any finite number is read as its text (the pattern then refuses 1.5 or 1e+21). */
const numberToString = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v);
/** Free text: only a number that is exactly the integer written (Number.isSafeInteger) becomes its text. */
const safeIntegerToString = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v);

/**
 * The message of a value of the wrong type: 必填 when there is none, otherwise what was expected and
 * what came (zod keeps no `input` on its issues, so the message has to be made here).
 */
export function wrongType(expected: string) {
  return (iss: { input?: unknown }) =>
    iss.input === undefined ? '必填' : `${expected}, 收到${receivedKind(iss.input)}`;
}

/** The shared text rules (textProblem) as a zod check; runs before trimming, so an edge U+FEFF is refused too. */
export function textRule(prefix = '') {
  return (s: string, ctx: z.core.$RefinementCtx<string>) => {
    const problem = textProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: `${prefix}${problem}` });
  };
}

/** Required: absent, null and blank all answer 必填. */
export function req<T extends z.ZodType>(inner: T) {
  return z.preprocess(
    (v) => (isBlank(v) ? undefined : v),
    z
      .any()
      .refine((v) => v !== undefined, '必填')
      .pipe(inner),
  );
}

/** Optional: absent, null and blank are all "not sent" (the platform must never get an empty field). */
export function opt<T extends z.ZodType>(inner: T) {
  return z.preprocess((v) => (isBlank(v) ? undefined : v), inner.optional());
}

const textTypeError = (iss: { input?: unknown }) =>
  typeof iss.input === 'number'
    ? `须为文本: 数字 ${String(iss.input)} 不是可原样保留的整数, 请加引号写成字符串`
    : wrongType('须为文本')(iss);

/** Text up to `max` characters; a safe integer is taken as its decimal text, any other number is refused. */
export function text(max: number) {
  return z.preprocess(
    safeIntegerToString,
    z.string({ error: textTypeError }).superRefine(textRule()).trim().max(max, `不能超过 ${max} 个字符`),
  );
}

const KEY_EXAMPLE = '20261126123456789012';

/**
 * An idempotency key (flow_no, parking_serial, pay_partner, parking_order): text only. A JSON number
 * is refused, since a long one has already lost digits when it is read (20261126123456789012 → …790000).
 */
export function keyText(max: number) {
  return z
    .string({
      error: (iss) =>
        typeof iss.input === 'number'
          ? `须为文本: 编号请加引号写成字符串, 例如 "${Number.isSafeInteger(iss.input) ? String(iss.input) : KEY_EXAMPLE}"`
          : wrongType('须为文本')(iss),
    })
    .superRefine(textRule())
    .trim()
    .max(max, `不能超过 ${max} 个字符`);
}

/**
 * A licence plate, normalised as the booth form normalises it (checkPlate). 无牌车 is taken where the
 * form takes it (update, leave), not where a real plate is needed (vip rows).
 */
export function plate(options: { noPlate: boolean }) {
  return z.string({ error: wrongType('须为文本') }).transform((s, ctx) => {
    const check = checkPlate(s);
    if (!check.ok) {
      ctx.addIssue({ code: 'custom', message: check.message });
      return z.NEVER;
    }
    if (check.kind === 'none' && !options.noPlate) {
      ctx.addIssue({ code: 'custom', message: `此处须为真实车牌, 不能为 ${NO_PLATE}` });
      return z.NEVER;
    }
    return check.plate;
  });
}

/** One of the vendor's enumerations (value as a string; a number is taken as its text). */
export function enumOf<const T extends readonly EnumOption[]>(list: T) {
  const allowed = list.map((o) => o.value);
  const hint = list.map((o) => `${o.value}(${o.label})`).join(', ');
  return z.preprocess(
    numberToString,
    z.string({ error: wrongType(`须为以下之一: ${hint}`) }).refine((v) => allowed.includes(v), `须为以下之一: ${hint}`),
  ) as unknown as z.ZodType<T[number]['value']>;
}

const UTC_FORMAT = "须为 UTC 时间, 格式 yyyy-MM-dd'T'HH:mm:ss'Z'";

/**
 * UTC instant as the update endpoint wants it: yyyy-MM-dd'T'HH:mm:ss'Z' (milliseconds allowed),
 * inside the window of record times (`problem`, by default: from 2000 to one day ahead of now).
 */
export function utcTime(problem: (instant: number) => string | null = (t) => recordTimeProblem(t)) {
  return z
    .string({ error: wrongType(`${UTC_FORMAT} 的文本`) })
    .trim()
    .superRefine((s, ctx) => {
      const t = parseUtc(s);
      const message = t === null ? `${UTC_FORMAT}, 例如 2022-09-01T00:00:00Z` : problem(t);
      if (message) ctx.addIssue({ code: 'custom', message });
    });
}

/**
 * A record check: the UTC time in `endField` is not before the one in `startField`, compared as instants
 * ('…00:00:00.5Z' is after '…00:00:00Z' although it sorts before it as text).
 */
export function utcEndNotBefore(startField: string, endField: string, message: string) {
  return (r: Record<string, unknown>, ctx: z.core.$RefinementCtx<Record<string, unknown>>) => {
    const at = (v: unknown) => (typeof v === 'string' ? parseUtc(v) : null);
    const start = at(r[startField]);
    const end = at(r[endField]);
    if (start !== null && end !== null && end < start) ctx.addIssue({ code: 'custom', path: [endField], message });
  };
}

const DIGITS = /^\d+$/;

/**
 * Epoch milliseconds (the leave endpoint's times), as the decimal text the form sends; from 2000 to one day ahead of
 * now.
 */
export function epochMs() {
  return z.preprocess(
    numberToString,
    z.string({ error: wrongType('须为毫秒时间戳') }).superRefine((s, ctx) => {
      const message =
        DIGITS.test(s) && s.length >= 12 && s.length <= 14
          ? recordTimeProblem(Number(s))
          : '须为毫秒时间戳 (13 位数字)';
      if (message) ctx.addIssue({ code: 'custom', message });
    }),
  );
}

/** The most fen a form amount may have as text: 12 digits. */
const FEN_TEXT_DIGITS = 12;
/** The most fen a payment amount (a JSON number) may be. */
const FEN_NUMBER_MAX = 1e11;
/** A number as JSON or JavaScript writes it (-1, 1.5, 1e+21), so that its problem can be named. */
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const FEN = '须为整数金额(分)';

/** Which rule of an amount `value` breaks (negative, too large, fractional), or null. */
function fenProblem(value: number, max: number, hasPoint = false): string | null {
  if (value < 0 || Object.is(value, -0)) return `${FEN}, 不能为负数`;
  if (value > max) return `金额过大: 不能超过 ${max} 分`;
  if (hasPoint || !Number.isInteger(value)) return `${FEN}, 不能有小数`;
  return null;
}

/** Integer fen (分), as decimal text for the form endpoints (at most 12 digits). */
export function fenText() {
  const max = 10 ** FEN_TEXT_DIGITS - 1;
  return z.preprocess(
    numberToString,
    z.string({ error: wrongType(FEN) }).superRefine((s, ctx) => {
      let message: string | null;
      if (DIGITS.test(s)) {
        // Leading zeros do not make an amount large, but the text is sent as it is.
        if (s.length <= FEN_TEXT_DIGITS) message = null;
        else if (s.replace(/^0+/, '').length > FEN_TEXT_DIGITS) message = `金额过大: 不能超过 ${max} 分`;
        else message = `${FEN}, 不能超过 ${FEN_TEXT_DIGITS} 位数字 (去掉前面的 0)`;
      } else if (NUMBER_TEXT.test(s)) {
        message = fenProblem(Number(s), max, s.includes('.')) ?? `${FEN}, 只能写数字, 例如 500`;
      } else {
        message = `${FEN}, 只能写数字, 例如 500`;
      }
      if (message) ctx.addIssue({ code: 'custom', message });
    }),
  );
}

/** Integer fen (分), as a JSON number; a text of digits is read as its number, any other number text is refused. */
export function fenNumber() {
  return z.preprocess(
    (v, ctx) => {
      if (typeof v !== 'string') return v;
      const t = v.trim();
      if (DIGITS.test(t)) return Number(t);
      if (!NUMBER_TEXT.test(t)) return v;
      const message = fenProblem(Number(t), FEN_NUMBER_MAX, t.includes('.')) ?? `${FEN}, 只能写数字, 例如 500`;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    },
    z.number({ error: wrongType(FEN) }).superRefine((n, ctx) => {
      const message = fenProblem(n, FEN_NUMBER_MAX);
      if (message) ctx.addIssue({ code: 'custom', message });
    }),
  );
}

/** A non-negative integer (counts such as quantity, parking spaces). */
export function count(max: number) {
  return z.preprocess(
    (v) => (typeof v === 'string' && DIGITS.test(v.trim()) ? Number(v.trim()) : v),
    z
      .number({ error: wrongType('须为整数') })
      .int('须为整数, 不能有小数')
      .min(0, '不能为负数')
      .max(max, `不能大于 ${max}`),
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

/** Zod's own English message of a wrong type, when a schema gave none of its own. */
const ZOD_TYPE_MESSAGE = /^Invalid input: expected (\S+), received (\S+)$/;
const TYPE_NAMES: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  boolean: '布尔值',
  array: '数组',
  object: '对象',
  null: '空值 (null)',
  nan: 'NaN',
};
const typeName = (t: string) => TYPE_NAMES[t] ?? t;

/**
 * A wrong type is 必填 only when nothing came. Our schemas say what was expected and what came
 * (wrongType); zod's own message still names both, so it is put in Chinese rather than read as absent.
 */
function wrongTypeMessage(i: z.core.$ZodIssueInvalidType): string {
  const own = ZOD_TYPE_MESSAGE.exec(i.message);
  if ('input' in i) {
    if (i.input === undefined) return '必填';
    return own ? `须为${typeName(i.expected)}, 收到${receivedKind(i.input)}` : i.message;
  }
  if (!own) return i.message;
  if (own[2] === 'undefined') return '必填';
  return `须为${typeName(own[1]!)}, 收到${typeName(own[2]!)}`;
}

/** Zod's problems as FieldIssue, unknown keys named one by one. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const i of error.issues) {
    if (i.code === 'unrecognized_keys') {
      for (const key of i.keys) issues.push({ field: fieldPath([...i.path, key]), message: '不是此接口的字段' });
    } else if (i.code === 'invalid_type') {
      issues.push({ field: fieldPath(i.path), message: wrongTypeMessage(i) });
    } else {
      issues.push({ field: fieldPath(i.path), message: i.message });
    }
  }
  return issues;
}

/** Parses with a schema (and checks of the raw input beside it); throws RecordError naming every bad field. */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  input: unknown,
  rawChecks?: (input: unknown) => FieldIssue[],
): z.output<T> {
  const result = schema.safeParse(input);
  const issues = [...(result.success ? [] : toFieldIssues(result.error)), ...(rawChecks?.(input) ?? [])];
  if (issues.length > 0 || !result.success) throw new RecordError(issues);
  return result.data;
}
