/**
 * A list's height, so that it ends above the fixed status bar whatever the window (filters wrap to two lines at
 * 1024 px, one at 1366): measured, since the status bar's height and what stands above the list are not known ahead.
 * `below`: the space kept under the list; `min`: the least height, on a window too short for more.
 */
import { type RefObject, useLayoutEffect, useState } from 'react';

export function useFitAboveStatusBar(ref: RefObject<HTMLElement | null>, below: number, min = 240): number | null {
  const [height, setHeight] = useState<number | null>(null);
  useLayoutEffect(() => {
    const measure = () => {
      const el = ref.current;
      if (!el) return;
      const bar = document.querySelector('[data-testid="status-bar"]');
      const bottom = bar ? bar.getBoundingClientRect().top : window.innerHeight;
      const top = el.getBoundingClientRect().top + window.scrollY;
      setHeight(Math.max(min, Math.floor(bottom - top - below)));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [ref, below, min]);
  return height;
}
