// The sandbox's own control endpoints under /__sandbox/ (unauthenticated: a loopback test peer).

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
  if (!parsed.ok || parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) return null;
  return parsed.value as Record<string, unknown>;
}

function checkParks(value: unknown): value is Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every((s) => typeof s === 'string' && s !== '');
}

/** Serves /__sandbox/*; answers 404 for an unknown admin path. */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  controls: AdminControls,
): Promise<void> {
  const route = `${req.method ?? 'GET'} ${path}`;
  switch (route) {
    case 'GET /__sandbox/health':
      return sendJson(res, 200, { ok: true });
    case 'GET /__sandbox/state':
      return sendJson(res, 200, controls.state());
    case 'POST /__sandbox/reset':
      req.resume();
      controls.reset();
      return sendJson(res, 200, { ok: true });
    case 'POST /__sandbox/faults': {
      const body = await readJson(req);
      const problem = body === null ? 'body must be a JSON object {rules: [...]}' : checkFaultRules(body['rules']);
      if (problem !== null || body === null) return sendJson(res, 400, { ok: false, error: problem });
      const rules = body['rules'] as FaultRule[];
      controls.setFaults(rules);
      return sendJson(res, 200, { ok: true, rules: rules.length });
    }
    case 'POST /__sandbox/parks': {
      const body = await readJson(req);
      const parks = body?.['parks'];
      if (!checkParks(parks)) return sendJson(res, 400, { ok: false, error: 'body must be {parks: {park_uuid: app_secret}}' });
      controls.setParks(parks);
      return sendJson(res, 200, { ok: true, parks: Object.keys(parks) });
    }
    default:
      req.resume();
      return sendJson(res, 404, { ok: false, error: `unknown sandbox route ${route}` });
  }
}
