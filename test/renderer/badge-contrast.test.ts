import { describe, expect, it } from 'vitest';
import { BADGE_COLORS, contrastRatio } from '../../renderer/labels.ts';

describe('state badges of the status bar', () => {
  it('computes WCAG contrast as the standard does', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    // The old 沙箱 badge (white on #fa8c16) failed AA.
    expect(contrastRatio('#ffffff', '#fa8c16')).toBeLessThan(4.5);
  });

  it.each(Object.entries(BADGE_COLORS))('%s has at least 4.5:1 (WCAG AA)', (_name, c) => {
    expect(contrastRatio(c.color, c.background)).toBeGreaterThanOrEqual(4.5);
  });
});
