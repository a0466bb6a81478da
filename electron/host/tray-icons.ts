/**
 * The tray icon's three looks, drawn here as small PNGs (no image files to ship or to lose): a blue disc when
 * nothing waits, an orange disc with an upward arrow while records wait to be sent, a red disc with a pause sign when
 * sending is paused. 32×32 pixels, shown at 16×16 (scale factor 2) for the notification area.
 */
import { encodePng } from '../services/png.ts';

export type TrayLook = 'normal' | 'waiting' | 'paused';
export const TRAY_ICON_PIXELS = 32;

type Rgb = readonly [number, number, number];
const COLOURS: Record<TrayLook, Rgb> = {
  normal: [22, 119, 255],
  waiting: [250, 140, 22],
  paused: [207, 19, 34],
};

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
    png = encodePng(drawTrayIcon(look), TRAY_ICON_PIXELS);
    cache.set(look, png);
  }
  return png;
}
