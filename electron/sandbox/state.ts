// What the sandbox remembers: accepted records, repeats, VIP rows, and a log of requests.

import type {
  EndpointName,
  RepeatEvent,
  RequestLogEntry,
  SandboxState,
  StoredFile,
  StoredRecord,
  StoredVipRow,
} from './types.ts';
import { canonicalJson } from './formats.ts';

export const REQUEST_LOG_LIMIT = 1000;

type FormEndpoint = 'update' | 'leave';

function now(): string {
  return new Date().toISOString();
}

/** Content of a form record for repeat comparison: fields without sign, files by hash and size. */
function formContent(fields: Record<string, string>, files: readonly StoredFile[]): string {
  const fileContent = [...files]
    .sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0))
    .map((f) => ({ field: f.field, md5: f.md5.toUpperCase(), size: f.size }));
  const rest: Record<string, string> = { ...fields };
  delete rest.sign;
  return canonicalJson({ fields: rest, files: fileContent });
}

export class SandboxStore {
  private parks = new Map<string, string>();
  private received = 0;
  private completes = 0;
  private update: StoredRecord[] = [];
  private leave: StoredRecord[] = [];
  private vip: StoredVipRow[] = [];
  private repeats: RepeatEvent[] = [];
  private requests: RequestLogEntry[] = [];

  constructor(parks: Record<string, string>) {
    this.setParks(parks);
  }

  setParks(parks: Record<string, string>): void {
    this.parks = new Map(Object.entries(parks));
  }

  secretOf(parkUuid: string): string | undefined {
    return this.parks.get(parkUuid);
  }

  /** Forget everything accepted and logged; the park table is kept. */
  reset(): void {
    this.received = 0;
    this.completes = 0;
    this.update = [];
    this.leave = [];
    this.vip = [];
    this.repeats = [];
    this.requests = [];
  }

  countReceived(): void {
    this.received += 1;
  }

  log(entry: Omit<RequestLogEntry, 'at'>): void {
    this.requests.push({ at: now(), ...entry });
    if (this.requests.length > REQUEST_LOG_LIMIT) this.requests.splice(0, this.requests.length - REQUEST_LOG_LIMIT);
  }

  private recordRepeat(endpoint: EndpointName, parkUuid: string, key: string, sameContent: boolean): void {
    this.repeats.push({ endpoint, park_uuid: parkUuid, key, sameContent, at: now() });
  }

  /**
   * Stores a form record unless (park_uuid, key) is already stored, in which case the repeat is
   * recorded instead. Returns whether it was new.
   */
  acceptForm(
    endpoint: FormEndpoint,
    parkUuid: string,
    key: string,
    fields: Record<string, string>,
    files: StoredFile[],
    seqno: string,
  ): boolean {
    const list = endpoint === 'update' ? this.update : this.leave;
    const existing = list.find((r) => r.park_uuid === parkUuid && r.key === key);
    if (existing) {
      const same = formContent(existing.fields, existing.files) === formContent(fields, files);
      this.recordRepeat(endpoint, parkUuid, key, same);
      return false;
    }
    list.push({ park_uuid: parkUuid, key, fields, files, seqno, at: now() });
    return true;
  }

  /** complete=1: delete all of the park's VIP rows. */
  completeVip(parkUuid: string): void {
    this.vip = this.vip.filter((r) => r.park_uuid !== parkUuid);
    this.completes += 1;
  }

  acceptVipRow(parkUuid: string, payPartner: string, row: Record<string, unknown>, seqno: string): boolean {
    const existing = this.vip.find((r) => r.park_uuid === parkUuid && r.pay_partner === payPartner);
    if (existing) {
      this.recordRepeat('vip-recharge', parkUuid, payPartner, canonicalJson(existing.row) === canonicalJson(row));
      return false;
    }
    this.vip.push({ park_uuid: parkUuid, pay_partner: payPartner, row, seqno, at: now() });
    return true;
  }

  snapshot(): SandboxState {
    return structuredClone({
      parks: [...this.parks.keys()],
      received: this.received,
      accepted: { update: this.update, leave: this.leave, vip: this.vip },
      repeats: this.repeats,
      completes: this.completes,
      requests: this.requests,
    });
  }
}
