// What an endpoint handler receives and returns.

import type { IncomingMessage } from 'node:http';
import type { SandboxStore } from '../state.ts';

export interface EndpointContext {
  req: IncomingMessage;
  seqno: string;
  store: SandboxStore;
}

export interface Outcome {
  httpStatus: number;
  code: string;
  message: string;
  hint?: string;
  /** idempotency key of the request (flow_no, parking_serial, pay_partner list) */
  key: string | null;
}
