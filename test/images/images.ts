/** Photo bytes for the tests: a JPEG or PNG by its first bytes (nothing reads further), of any size. */
import { createHash } from 'node:crypto';

export function jpeg(size = 4000, seed = 1): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed * 17) & 0xff;
  b.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return b;
}

export function png(size = 3000, seed = 2): Buffer {
  const b = jpeg(size, seed);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0);
  return b;
}

export const md5Upper = (b: Uint8Array) => createHash('md5').update(b).digest('hex').toUpperCase();
