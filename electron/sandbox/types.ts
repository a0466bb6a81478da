// Public types of the sandbox platform (the local stand-in for the 4pyun gate API).

export type EndpointName = 'update' | 'leave' | 'vip-recharge';

export type FaultKind = 'error' | 'garbage' | 'drop' | 'drop-after-accept' | 'delay' | 'hang';

export interface FaultRule {
  endpoint?: EndpointName;
  kind: FaultKind;
  httpStatus?: number;
  code?: string;
  message?: string;
  delayMs?: number;
  /** 0..1, default 1 */
  rate?: number;
  /** apply at most N times, default unlimited */
  count?: number;
}

export interface StoredFile {
  field: string;
  filename: string;
  size: number;
  /** upper-case hex MD5 of the file's bytes */
  md5: string;
}

export interface StoredRecord {
  park_uuid: string;
  key: string;
  /** decoded values, without sign (empty values dropped) */
  fields: Record<string, string>;
  files: StoredFile[];
  seqno: string;
  at: string;
}

export interface StoredVipRow {
  park_uuid: string;
  pay_partner: string;
  row: Record<string, unknown>;
  seqno: string;
  at: string;
}

export interface RepeatEvent {
  endpoint: string;
  park_uuid: string;
  key: string;
  sameContent: boolean;
  at: string;
}

export interface RequestLogEntry {
  at: string;
  endpoint: string;
  httpStatus: number | null;
  code: string | null;
  seqno: string | null;
  fault: string | null;
  key: string | null;
}

export interface SandboxState {
  parks: string[];
  /** requests to the three endpoints */
  received: number;
  accepted: { update: StoredRecord[]; leave: StoredRecord[]; vip: StoredVipRow[] };
  repeats: RepeatEvent[];
  completes: number;
  /** newest last, last 1000 kept */
  requests: RequestLogEntry[];
}
