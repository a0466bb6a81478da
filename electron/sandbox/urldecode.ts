// Java URLDecoder.decode(s, "UTF-8") semantics: `+` is a space, runs of %XX are UTF-8 bytes
// (invalid UTF-8 becomes U+FFFD), a `%` not followed by two hex digits is an error.

const HEX = /^[0-9a-fA-F]{2}$/;

/** Returns the decoded text, or null when the input is malformed. */
export function javaUrlDecode(s: string): string | null {
  if (!s.includes('%') && !s.includes('+')) return s;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '+') {
      out += ' ';
      i += 1;
    } else if (c === '%') {
      const bytes: number[] = [];
      while (i < s.length && s[i] === '%') {
        const hex = s.slice(i + 1, i + 3);
        if (!HEX.test(hex)) return null;
        bytes.push(parseInt(hex, 16));
        i += 3;
      }
      out += decoder.decode(new Uint8Array(bytes));
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}
