// The sandbox platform: a local HTTP server on 127.0.0.1 that keeps the 4pyun gate API contract
// for the three pushes (update, leave, vip/recharge), remembers what it accepted, and can be told
// to misbehave (fault rules) for tests.

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin } from './admin.ts';
import { drainBody } from './body.ts';
import { ApiError, defaultMessage } from './errors.ts';
import { FaultEngine } from './faults.ts';
import { newSeqno, platformAnswer, sendGarbage, sendJson } from './respond.ts';
import { SandboxStore } from './state.ts';
import type { EndpointContext, Outcome } from './endpoints/context.ts';
import { UPDATE_PATH, handleUpdate } from './endpoints/update.ts';
import { LEAVE_PATH, handleLeave } from './endpoints/leave.ts';
import { VIP_RECHARGE_PATH, handleVipRecharge } from './endpoints/vip-recharge.ts';
import type { EndpointName, FaultRule, SandboxState } from './types.ts';

export type {
  EndpointName,
  FaultKind,
  FaultRule,
  RepeatEvent,
  RequestLogEntry,
  SandboxState,
  StoredFile,
  StoredRecord,
  StoredVipRow,
} from './types.ts';

export interface SandboxOptions {
  port?: number;
  /** park_uuid -> app_secret */
  parks?: Record<string, string>;
  seed?: number;
  /** The admin token (x-sandbox-token) for /__sandbox/*; random when not given. */
  token?: string;
}

export const SANDBOX_DEFAULT_PARK = 'SANDBOX-PARK-0001';
export const SANDBOX_DEFAULT_SECRET = 'sandbox-secret';

export interface Sandbox {
  /** http://127.0.0.1:PORT, no trailing slash */
  url: string;
  port: number;
  /** Required as the x-sandbox-token header by /__sandbox/* over HTTP (health excepted). */
  token: string;
  state(): SandboxState;
  setFaults(rules: FaultRule[]): void;
  setParks(parks: Record<string, string>): void;
  reset(): void;
  close(): Promise<void>;
}

const ENDPOINTS: Record<string, { name: EndpointName; handle: (ctx: EndpointContext) => Promise<Outcome> }> = {
  [UPDATE_PATH]: { name: 'update', handle: handleUpdate },
  [LEAVE_PATH]: { name: 'leave', handle: handleLeave },
  [VIP_RECHARGE_PATH]: { name: 'vip-recharge', handle: handleVipRecharge },
};

function outcomeOf(err: unknown): Outcome {
  if (err instanceof ApiError) {
    const outcome: Outcome = { httpStatus: err.httpStatus, code: err.code, message: err.message, key: null };
    if (err.hint !== undefined) outcome.hint = err.hint;
    return outcome;
  }
  return { httpStatus: 500, code: '500', message: defaultMessage('500'), key: null };
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const store = new SandboxStore(opts.parks ?? { [SANDBOX_DEFAULT_PARK]: SANDBOX_DEFAULT_SECRET });
  const faults = new FaultEngine(opts.seed ?? 1);
  const timers = new Set<NodeJS.Timeout>();
  const token = opts.token ?? randomBytes(18).toString('base64url');
  let closing = false;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const controls = {
    state: (): SandboxState => store.snapshot(),
    setFaults: (rules: FaultRule[]): void => faults.set(rules),
    setParks: (parks: Record<string, string>): void => store.setParks(parks),
    reset: (): void => {
      store.reset();
      faults.reset();
    },
  };

  async function handleEndpoint(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    name: EndpointName,
    handle: (ctx: EndpointContext) => Promise<Outcome>,
  ): Promise<void> {
    const route = `POST ${path}`;
    const seqno = newSeqno();
    store.countReceived();
    const fault = faults.pick(name);
    const kind = fault?.kind ?? null;

    if (fault !== null && fault.kind !== 'delay' && fault.kind !== 'drop-after-accept') {
      if (fault.kind === 'hang') {
        store.log({ endpoint: name, httpStatus: null, code: null, seqno: null, fault: kind, key: null });
        req.resume(); // read the body, never answer: close() ends the socket
        return;
      }
      await drainBody(req);
      if (fault.kind === 'drop') {
        store.log({ endpoint: name, httpStatus: null, code: null, seqno: null, fault: kind, key: null });
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'garbage') {
        store.log({ endpoint: name, httpStatus: 502, code: null, seqno: null, fault: kind, key: null });
        sendGarbage(res);
        return;
      }
      const httpStatus = fault.httpStatus ?? 500;
      const code = fault.code ?? String(httpStatus);
      store.log({ endpoint: name, httpStatus, code, seqno, fault: kind, key: null });
      sendJson(res, httpStatus, platformAnswer(route, seqno, code, fault.message ?? defaultMessage(code)));
      return;
    }

    if (fault?.kind === 'delay') {
      await sleep(Math.max(0, fault.delayMs ?? 1000));
      if (closing) return;
    }

    let outcome: Outcome;
    try {
      outcome = await handle({ req, seqno, store });
    } catch (err) {
      outcome = outcomeOf(err);
      await drainBody(req);
    }
    if (fault?.kind === 'drop-after-accept') {
      store.log({ endpoint: name, httpStatus: null, code: outcome.code, seqno, fault: kind, key: outcome.key });
      req.socket.destroy();
      return;
    }
    store.log({
      endpoint: name,
      httpStatus: outcome.httpStatus,
      code: outcome.code,
      seqno,
      fault: kind,
      key: outcome.key,
    });
    sendJson(res, outcome.httpStatus, platformAnswer(route, seqno, outcome.code, outcome.message, outcome.hint));
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path.startsWith('/__sandbox/')) return handleAdmin(req, res, path, controls, token);
    const endpoint = ENDPOINTS[path];
    const seqno = newSeqno();
    const route = `${req.method ?? 'GET'} ${path}`;
    if (endpoint === undefined) {
      req.resume();
      return sendJson(res, 404, platformAnswer(route, seqno, '404', defaultMessage('404')));
    }
    if (req.method !== 'POST') {
      req.resume();
      return sendJson(res, 405, platformAnswer(route, seqno, '405', '请求方法不支持, 仅支持POST'));
    }
    return handleEndpoint(req, res, path, endpoint.name, endpoint.handle);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch(() => {
      sendJson(
        res,
        500,
        platformAnswer(`${req.method ?? 'GET'} ${req.url ?? '/'}`, newSeqno(), '500', defaultMessage('500')),
      );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    ...controls,
    close(): Promise<void> {
      if (closed === null) {
        closing = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        closed = new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
      return closed;
    },
  };
}
