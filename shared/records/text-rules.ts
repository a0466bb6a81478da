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
/**
 * Characters that show nothing although they are not format characters: Hangul fillers (U+115F, U+1160, U+3164,
 * U+FFA0), the combining grapheme joiner (U+034F), Khmer inherent vowels (U+17B4, U+17B5), Mongolian free variation
 * selectors (U+180B–U+180D, U+180F) and the braille blank (U+2800). A text made only of them looks empty but is not
 * blank. Variation selectors (U+FE00–U+FE0F) stay: an emoji such as ❤️ carries one.
 */
const INVISIBLE = new Set([
  0x034f, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x180b, 0x180c, 0x180d, 0x180f, 0x2800, 0x3164, 0xffa0,
]);
/** The first invisible filler of `text` (a set, not a character class: some of them combine with what precedes). */
const firstInvisible = (text: string) => [...text].find((c) => INVISIBLE.has(c.codePointAt(0)!));
/** Line and paragraph separators (U+2028, U+2029): line breaks that are not control characters. */
const SEPARATOR = /[\p{Zl}\p{Zp}]/u;
/** Private use (U+E000–U+F8FF and the supplementary planes' areas): no agreed meaning, shown as anything or nothing. */
const PRIVATE_USE = /\p{Co}/u;
/** Code points not (yet) assigned a character, noncharacters (U+FFFE, U+FFFF, U+FDD0…) included. */
const UNASSIGNED = /\p{Cn}/u;

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `text` may not be sent as it is (a Chinese sentence without the field's name), or null. */
export function textProblem(text: string): string | null {
  if (CONTROL.test(text)) return '不能含控制字符 (如换行、制表符)';
  if (LONE_SURROGATE.test(text)) return '含有残缺的字符 (孤立的代理项), 请重新输入';
  const format = FORMAT.exec(text);
  if (format) return `不能含看不见的格式字符或文字方向控制字符 (${codePoint(format[0])})`;
  const invisible = firstInvisible(text);
  if (invisible) return `不能含看不见的填充字符 (${codePoint(invisible)})`;
  const separator = SEPARATOR.exec(text);
  if (separator) return `不能含行分隔符或段分隔符 (${codePoint(separator[0])})`;
  const privateUse = PRIVATE_USE.exec(text);
  if (privateUse) return `不能含私用区字符 (${codePoint(privateUse[0])})`;
  const unassigned = UNASSIGNED.exec(text);
  if (unassigned) return `不能含未分配的字符 (${codePoint(unassigned[0])})`;
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
