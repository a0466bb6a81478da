/** Which screen is shown; Alt+1…Alt+7 switch from the keyboard, in this order. */
import { create } from 'zustand';

export const SCREENS = [
  { key: 'shift', label: '交班' },
  { key: 'release', label: '异常放行' },
  { key: 'exit', label: '离场补推' },
  { key: 'vip', label: '固定车续费' },
  { key: 'log', label: '推送日志' },
  { key: 'queue', label: '上传队列' },
  { key: 'settings', label: '设置' },
] as const;
export type ScreenKey = (typeof SCREENS)[number]['key'];

interface NavState {
  screen: ScreenKey;
  go(screen: ScreenKey): void;
}

export const useNav = create<NavState>((set) => ({
  screen: 'shift',
  go: (screen) => set({ screen }),
}));
