/** Last line of defence: a value with every occurrence of a secret replaced by ***, however deep. */
export const MASK = '***';

export function scrubSecret<T>(value: T, secret: string): T {
  if (secret.length < 3) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.includes(secret) ? v.split(secret).join(MASK) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
