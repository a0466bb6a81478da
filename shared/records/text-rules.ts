/**
 * What any text of a record (or of the booth form) may not contain, in one place: every path
 * (form, CLI enqueue, resubmit, imports) goes through these rules, so they agree.
 */

/** C0 and C1 control characters and DEL (line breaks and tabs included). */
const CONTROL = /\p{Cc}/u;
/** A UTF-16 half without its partner: not a character at all. */
const LONE_SURROGATE = /\p{Cs}/u;
/**
 * Invisible format characters: zero-width (U+200B–U+200F), bidi controls (U+202A–U+202E, U+2066–U+2069), BOM (U+FEFF),
 * soft hyphen …
 */
const FORMAT = /\p{Cf}/u;

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `text` may not be sent as it is (a Chinese sentence without the field's name), or null. */
export function textProblem(text: string): string | null {
  if (CONTROL.test(text)) return '不能含控制字符 (如换行、制表符)';
  if (LONE_SURROGATE.test(text)) return '含有残缺的字符 (孤立的代理项), 请重新输入';
  const format = FORMAT.exec(text);
  if (format) return `不能含看不见的格式字符或文字方向控制字符 (${codePoint(format[0])})`;
  return null;
}

/** The Chinese name of what a JSON value is, for "须为…, 收到…" messages. */
export function receivedKind(value: unknown): string {
  if (value === null) return '空值 (null)';
  if (Array.isArray(value)) return '数组';
  switch (typeof value) {
    case 'string':
      return '文本';
    case 'number':
      return `数字 ${String(value)}`;
    case 'boolean':
      return `布尔值 ${String(value)}`;
    case 'object':
      return '对象';
    case 'undefined':
      return '空';
    default:
      return typeof value;
  }
}
