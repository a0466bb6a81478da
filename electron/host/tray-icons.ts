/**
 * The tray icon's three looks, drawn here as small PNGs (no image files to ship or to lose): a blue disc when
 * nothing waits, an orange disc with an upward arrow while records wait to be sent, a red disc with a pause sign when
 * sending is paused. 32×32 pixels, shown at 16×16 (scale factor 2) for the notification area.
 */
import { deflateSync } from 'node:zlib';

export type TrayLook = 'normal' | 'waiting' | 'paused';
export const TRAY_ICON_PIXELS = 32;

type Rgb = readonly [number, number, number];
const COLOURS: Record<TrayLook, Rgb> = {
  normal: [22, 119, 255],
  waiting: [250, 140, 22],
  paused: [207, 19, 34],
};

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG (8-bit RGBA, no interlace) of `rgba`, row by row, `size`×`size`. */
export function encodePng(size: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    raw.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** Whether a point (in a 0..1 square) is white (the glyph) on the disc of each look. */
function glyph(look: TrayLook, x: number, y: number): boolean {
  if (look === 'paused') return y > 0.3 && y < 0.7 && ((x > 0.36 && x < 0.45) || (x > 0.55 && x < 0.64));
  if (look === 'waiting') {
    const head = y > 0.26 && y < 0.52 && Math.abs(x - 0.5) < (y - 0.26) * 0.85;
    const stem = y >= 0.5 && y < 0.74 && Math.abs(x - 0.5) < 0.075;
    return head || stem;
  }
  return (x - 0.5) ** 2 + (y - 0.5) ** 2 < 0.14 ** 2;
}

/** The look's RGBA pixels: a disc in its colour with its white glyph, smoothed with 4×4 samples per pixel. */
export function drawTrayIcon(look: TrayLook, size = TRAY_ICON_PIXELS): Uint8Array {
  const [r, g, b] = COLOURS[look];
  const out = new Uint8Array(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let disc = 0;
      let white = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          if ((x - 0.5) ** 2 + (y - 0.5) ** 2 > 0.47 ** 2) continue;
          disc++;
          if (glyph(look, x, y)) white++;
        }
      }
      const i = (py * size + px) * 4;
      const w = disc === 0 ? 0 : white / disc;
      out[i] = Math.round(r + (255 - r) * w);
      out[i + 1] = Math.round(g + (255 - g) * w);
      out[i + 2] = Math.round(b + (255 - b) * w);
      out[i + 3] = Math.round((255 * disc) / (n * n));
    }
  }
  return out;
}

const cache = new Map<TrayLook, Buffer>();

/** The look as PNG bytes (made once). */
export function trayIconPng(look: TrayLook): Buffer {
  let png = cache.get(look);
  if (!png) {
    png = encodePng(TRAY_ICON_PIXELS, drawTrayIcon(look));
    cache.set(look, png);
  }
  return png;
}
