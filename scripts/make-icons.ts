/**
 * `npm run icons`: draws the console's icon and writes build/icon.png (512×512, for electron-builder and the tray)
 * and build/icon.ico (Windows: 16, 24, 32, 48, 64 and 128 as classic 32-bit bitmaps, 256 as PNG, the layout Windows
 * and NSIS both read). The design is the parking sign: a white "P" on a blue rounded square, with a red-and-white
 * barrier arm across the bottom. No image library: the shapes are sampled 4×4 per pixel, PNG is written with zlib.
 * The output is committed; run this again only to change the design.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from '../electron/services/png.ts';

type Rgba = readonly [number, number, number, number];

const BLUE: Rgba = [30, 91, 216, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const RED: Rgba = [220, 38, 38, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

const inRect = (x: number, y: number, x0: number, y0: number, x1: number, y1: number) =>
  x >= x0 && x <= x1 && y >= y0 && y <= y1;

function inRoundedSquare(x: number, y: number, r: number): boolean {
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** The colour at (x, y) of the unit square, y downwards. */
function colourAt(x: number, y: number): Rgba {
  if (!inRoundedSquare(x, y, 0.18)) return CLEAR;
  // Barrier: a post on the left and a striped arm.
  if (inRect(x, y, 0.12, 0.66, 0.2, 0.88)) return WHITE;
  if (inRect(x, y, 0.2, 0.72, 0.88, 0.8)) return Math.floor((x - 0.2) / 0.11) % 2 === 0 ? RED : WHITE;
  // "P": a stem, two bars and the right half of a ring.
  if (inRect(x, y, 0.3, 0.14, 0.43, 0.64)) return WHITE;
  if (x <= 0.52 && (inRect(x, y, 0.43, 0.14, 0.52, 0.27) || inRect(x, y, 0.43, 0.43, 0.52, 0.56))) return WHITE;
  const d = Math.hypot(x - 0.52, y - 0.35);
  if (x > 0.52 && d <= 0.21 && d >= 0.08) return WHITE;
  return BLUE;
}

/** RGBA pixels, row by row from the top, each pixel the average of 4×4 samples. */
export function drawIcon(size: number): Buffer {
  const out = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = colourAt((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          r += c[0] * c[3];
          g += c[1] * c[3];
          b += c[2] * c[3];
          a += c[3];
        }
      }
      const i = (py * size + px) * 4;
      out[i] = a ? Math.round(r / a) : 0;
      out[i + 1] = a ? Math.round(g / a) : 0;
      out[i + 2] = a ? Math.round(b / a) : 0;
      out[i + 3] = Math.round(a / (n * n));
    }
  }
  return out;
}

/** An icon's image as a classic DIB: BITMAPINFOHEADER, BGRA rows bottom-up, then an all-zero AND mask. */
function encodeDib(rgba: Buffer, size: number): Buffer {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // colour rows + mask rows
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = ((size - 1 - y) * size + x) * 4;
      pixels[to] = rgba[from + 2]!;
      pixels[to + 1] = rgba[from + 1]!;
      pixels[to + 2] = rgba[from]!;
      pixels[to + 3] = rgba[from + 3]!;
    }
  }
  const maskRow = Math.ceil(size / 32) * 4;
  return Buffer.concat([header, pixels, Buffer.alloc(maskRow * size)]);
}

/** An ICO of the given images (PNG for 256, bitmaps below). */
export function encodeIco(sizes: readonly number[]): Buffer {
  const images = sizes.map((s) => (s >= 256 ? encodePng(drawIcon(s), s) : encodeDib(drawIcon(s), s)));
  const dir = Buffer.alloc(6 + 16 * sizes.length);
  dir.writeUInt16LE(0, 0);
  dir.writeUInt16LE(1, 2); // icon
  dir.writeUInt16LE(sizes.length, 4);
  let offset = dir.length;
  sizes.forEach((s, i) => {
    const e = 6 + 16 * i;
    dir[e] = s >= 256 ? 0 : s; // 0 means 256
    dir[e + 1] = s >= 256 ? 0 : s;
    dir.writeUInt16LE(1, e + 4); // planes
    dir.writeUInt16LE(32, e + 6); // bits per pixel
    dir.writeUInt32LE(images[i]!.length, e + 8);
    dir.writeUInt32LE(offset, e + 12);
    offset += images[i]!.length;
  });
  return Buffer.concat([dir, ...images]);
}

export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;

if (import.meta.main) {
  const out = fileURLToPath(new URL('../build/', import.meta.url));
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'icon.png'), encodePng(drawIcon(512), 512));
  writeFileSync(join(out, 'icon.ico'), encodeIco(ICO_SIZES));
  process.stdout.write(`已生成 ${join(out, 'icon.png')} 和 ${join(out, 'icon.ico')}\n`);
}
