// The sandbox's own control endpoints under /__sandbox/. Loopback is not enough: any web page open in
// the PC's browser can send a "simple" request to 127.0.0.1. So every admin call but health needs the
// sandbox's own random token in `x-sandbox-token` (a custom header, which a page can only send after a
// CORS preflight the sandbox never grants), and POSTs must be `application/json` (likewise). The
// console itself calls the Sandbox object in-process and needs neither.

import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, parseJsonBody } from './body.ts';
import { checkFaultRules } from './faults.ts';
import { sendJson } from './respond.ts';
import type { FaultRule, SandboxState } from './types.ts';

export interface AdminControls {
  state(): SandboxState;
  setFaults(rules: FaultRule[]): void;
  setParks(parks: Record<string, string>): void;
  reset(): void;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const parsed = parseJsonBody(await readBody(req, 1024 * 1024));
  if (!parsed.ok || parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value))
    return null;
  return parsed.value as Record<string, unknown>;
}

function checkParks(value: unknown): value is Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every((s) => typeof s === 'string' && s !== '');
}

export const SANDBOX_TOKEN_HEADER = 'x-sandbox-token';

function sameToken(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isJson(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** Why this call is refused (403), or null. */
function refusal(req: IncomingMessage, token: string): string | null {
  if (!sameToken(req.headers[SANDBOX_TOKEN_HEADER], token)) return `missing or wrong ${SANDBOX_TOKEN_HEADER} header`;
  if (req.method === 'POST' && !isJson(req)) return 'content-type must be application/json';
  return null;
}

/** Serves /__sandbox/*; answers 404 for an unknown admin path, 403 without the token. */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  controls: AdminControls,
  token: string,
): Promise<void> {
  const route = `${req.method ?? 'GET'} ${path}`;
  if (route === 'GET /__sandbox/health') {
    req.resume();
    return sendJson(res, 200, { ok: true });
  }
  const refused = refusal(req, token);
  if (refused !== null) {
    req.resume();
    return sendJson(res, 403, { ok: false, error: refused });
  }
  switch (route) {
    case 'GET /__sandbox/state':
      return sendJson(res, 200, controls.state());
    case 'POST /__sandbox/reset':
      req.resume();
      controls.reset();
      return sendJson(res, 200, { ok: true });
    case 'POST /__sandbox/faults': {
      const body = await readJson(req);
      const problem = body === null ? 'body must be a JSON object {rules: [...]}' : checkFaultRules(body.rules);
      if (problem !== null || body === null) return sendJson(res, 400, { ok: false, error: problem });
      const rules = body.rules as FaultRule[];
      controls.setFaults(rules);
      return sendJson(res, 200, { ok: true, rules: rules.length });
    }
    case 'POST /__sandbox/parks': {
      const body = await readJson(req);
      const parks = body?.parks;
      if (!checkParks(parks))
        return sendJson(res, 400, { ok: false, error: 'body must be {parks: {park_uuid: app_secret}}' });
      controls.setParks(parks);
      return sendJson(res, 200, { ok: true, parks: Object.keys(parks) });
    }
    default:
      req.resume();
      return sendJson(res, 404, { ok: false, error: `unknown sandbox route ${route}` });
  }
}
