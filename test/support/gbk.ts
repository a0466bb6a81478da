/**
 * A GBK encoder for test files (what Excel saves a CSV as on a Chinese Windows PC). Node decodes GBK but does not
 * encode it: the table is made by decoding every two-byte GBK code once and turning it around.
 */
let table: Map<string, [number, number]> | null = null;

function encoderTable(): Map<string, [number, number]> {
  if (table) return table;
  const decoder = new TextDecoder('gbk', { fatal: true });
  table = new Map();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      let ch: string;
      try {
        ch = decoder.decode(new Uint8Array([lead, trail]));
      } catch {
        continue; // not a character in GBK: nothing to map
      }
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [lead, trail]);
    }
  }
  return table;
}

/** The GBK bytes of `text`; throws on a character GBK does not have (a test's own mistake). */
export function encodeGbk(text: string): Uint8Array {
  const t = encoderTable();
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) {
      out.push(code);
      continue;
    }
    const pair = t.get(ch);
    if (!pair) throw new Error(`GBK has no ${ch}`);
    out.push(pair[0], pair[1]);
  }
  return new Uint8Array(out);
}
