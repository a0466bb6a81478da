/**
 * The names of the contract's methods and who may call them, without zod: the Electron preload
 * (a sandboxed script) builds its named functions from this list alone. `api.ts` checks that its
 * table has exactly these methods with exactly these access levels.
 */

/** open: anyone at the PC; shift: a shift must be started; manager: a manager must have unlocked with the PIN. */
export type Access = 'open' | 'shift' | 'manager';

export const METHOD_ACCESS = {
  getSession: 'open',
  startShift: 'open',
  endShift: 'open',
  unlockManager: 'open',
  lockManager: 'open',
  setupPin: 'open',
  completeSetup: 'open',
  getStatus: 'open',
  getSettings: 'open',
  updateSettings: 'manager',
  clearSecret: 'manager',
  submitRelease: 'shift',
  recentSerials: 'open',
  queryLog: 'open',
  exportLogCsv: 'open',
  listRecords: 'open',
  getRecord: 'open',
  resubmitRecord: 'shift',
  retryNow: 'shift',
  cancelRecord: 'manager',
  pauseQueue: 'manager',
  resumeQueue: 'manager',
  listAudit: 'open',
  submitRenewal: 'manager',
  renewalDefaults: 'manager',
  checkVipImport: 'manager',
  commitVipImport: 'manager',
  vipImportBadRows: 'manager',
  vipTemplate: 'open',
  submitExit: 'shift',
  exitWarnings: 'open',
  imagePreview: 'open',
  imagesFolder: 'open',
  hostNotices: 'open',
  exportSupportLogs: 'open',
} as const satisfies Record<string, Access>;

export type MethodName = keyof typeof METHOD_ACCESS;
export const METHOD_NAMES = Object.keys(METHOD_ACCESS) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(METHOD_ACCESS, name);
}

/** IPC channel names of the Electron host (the preview host uses /api/<method> and /api/events). */
export const IPC_PREFIX = 'booth:';
export const IPC_EVENT_CHANNEL = 'booth:event';
