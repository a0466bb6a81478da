/** Money is integer fen (分) everywhere below the UI; yuan strings exist only at the edges. */

const YUAN_PATTERN = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

/** '12.5' → 1250. Exact: no floating point. Null when the text is not an amount in yuan. */
export function yuanToFen(text: string): number | null {
  const m = YUAN_PATTERN.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 1250 → '12.50'. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
