/** Colours for states and outcomes, shared by the screens. */
import type { RecordState } from '../shared/contract/queue.ts';
import type { OutcomeKind } from '../shared/platform/outcome.ts';

export const OUTCOME_COLORS: Record<OutcomeKind, string> = {
  accepted: 'green',
  ignored: 'gold',
  rejected: 'red',
  auth: 'magenta',
  retry: 'orange',
};

export const STATE_COLORS: Record<RecordState, string> = {
  waiting: 'blue',
  sending: 'processing',
  accepted: 'green',
  attention: 'red',
  cancelled: 'default',
};

/** A state badge's text and background colour (white or dark text on a solid colour). */
export interface BadgeColors {
  color: string;
  background: string;
}

/**
 * The status bar's state badges. Each pair has at least WCAG AA contrast (4.5:1), checked in
 * test/renderer/badge-contrast.test.ts.
 */
export const BADGE_COLORS = {
  /** 练习模式 (the embedded sandbox): nothing reaches P云. */
  sandbox: { color: '#ffffff', background: '#ad4e00' },
  /** 联调环境 (the vendor's integration environment): as loud as the sandbox, in another colour. */
  integration: { color: '#ffffff', background: '#531dab' },
  /** 自定义地址. */
  custom: { color: '#ffffff', background: '#0050b3' },
  /** 正式环境: real records, quiet. */
  production: { color: '#ffffff', background: '#237804' },
  paused: { color: '#ffffff', background: '#a8071a' },
  attention: { color: '#ffffff', background: '#a8071a' },
  offline: { color: '#ffffff', background: '#434343' },
  online: { color: '#ffffff', background: '#237804' },
} as const satisfies Record<string, BadgeColors>;

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** WCAG 2 relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [m[1], m[2], m[3]].map((x) => channel(Number.parseInt(x!, 16))) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
