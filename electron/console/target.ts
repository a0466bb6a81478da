/** Where records go now, as the status bar shows it. */
import type { Target } from '../../shared/contract/api.ts';
import { PLATFORM_KIND_LABELS } from '../../shared/contract/settings.ts';
import type { SettingsService } from '../services/open.ts';

export function targetOf(settings: SettingsService): Target {
  const s = settings.get();
  return {
    platform: s.platform,
    label: PLATFORM_KIND_LABELS[s.platform],
    baseUrl: settings.baseUrl(),
    sandbox: settings.isSandbox(),
    mode: s.mode,
  };
}
