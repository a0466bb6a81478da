// Fault injection: error, garbage, drop, drop-after-accept, delay, hang; rate and count.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  SANDBOX_DEFAULT_PARK,
  SANDBOX_DEFAULT_SECRET,
  startSandbox,
  type Sandbox,
} from '../../electron/sandbox/server.ts';
import {
  LEAVE,
  UPDATE,
  getJson,
  jsonAuth,
  leaveParams,
  postAdmin,
  postJson,
  postMultipart,
  updateParams,
  withSign,
} from './helpers.ts';

const PARK = SANDBOX_DEFAULT_PARK;
const SECRET = SANDBOX_DEFAULT_SECRET;

const sendUpdate = (sb: Sandbox, flow: string, init: { signal?: AbortSignal } = {}) =>
  postMultipart(sb.url, UPDATE, withSign(updateParams(PARK, flow), SECRET), [], init);

describe('faults', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.reset());

  it('error defaults to HTTP 500 / code "500" with a JSON body; nothing stored', async () => {
    sb.setFaults([{ kind: 'error' }]);
    const a = await sendUpdate(sb, 'F-500');
    expect(a.status).toBe(500);
    expect(a.body).toMatchObject({
      code: '500',
      message: '服务器内部错误',
      data_node: 'SANDBOX/LOCAL-1',
      path: `POST ${UPDATE}`,
    });
    expect(a.body.seqno).toMatch(/^[0-9a-f]{16}$/);
    const st = sb.state();
    expect(st.accepted.update).toHaveLength(0);
    expect(st.requests.at(-1)).toMatchObject({ httpStatus: 500, code: '500', fault: 'error' });
  });

  it('error 503, and 401 with a custom code/message', async () => {
    sb.setFaults([
      { kind: 'error', httpStatus: 503, count: 1 },
      { kind: 'error', httpStatus: 401, message: '请求签名校验不通过', count: 1 },
    ]);
    const a = await sendUpdate(sb, 'F-503');
    expect(a.status).toBe(503);
    expect(a.body).toMatchObject({ code: '503', message: '服务暂不可用' });
    const b = await sendUpdate(sb, 'F-401');
    expect(b.status).toBe(401);
    expect(b.body).toMatchObject({ code: '401', message: '请求签名校验不通过' });
    const c = await sendUpdate(sb, 'F-OK');
    expect(c.body.code).toBe('1001');
    expect(sb.state().accepted.update.map((r) => r.key)).toEqual(['F-OK']);
  });

  it('garbage → HTTP 502 with an HTML body', async () => {
    sb.setFaults([{ kind: 'garbage' }]);
    const a = await sendUpdate(sb, 'F-G');
    expect(a.status).toBe(502);
    expect(a.contentType).toMatch(/text\/html/);
    expect(a.text).toMatch(/^<html>/);
    expect(() => JSON.parse(a.text) as unknown).toThrow();
  });

  it('drop → the socket is closed without an answer; nothing stored', async () => {
    sb.setFaults([{ kind: 'drop', count: 1 }]);
    await expect(sendUpdate(sb, 'F-D')).rejects.toThrow();
    const st = sb.state();
    expect(st.received).toBe(1);
    expect(st.accepted.update).toHaveLength(0);
    expect(st.requests.at(-1)).toMatchObject({ httpStatus: null, code: null, fault: 'drop' });
  });

  it('drop-after-accept → stored, no answer; the retry is a repeat with the same content', async () => {
    sb.setFaults([{ kind: 'drop-after-accept', count: 1 }]);
    await expect(sendUpdate(sb, 'F-DA')).rejects.toThrow();
    expect(sb.state().accepted.update.map((r) => r.key)).toEqual(['F-DA']);
    const retry = await sendUpdate(sb, 'F-DA');
    expect(retry.body).toMatchObject({ code: '1001', message: 'OK' });
    const st = sb.state();
    expect(st.accepted.update).toHaveLength(1);
    expect(st.repeats).toEqual([expect.objectContaining({ endpoint: 'update', key: 'F-DA', sameContent: true })]);
    expect(st.requests[0]).toMatchObject({ httpStatus: null, code: '1001', fault: 'drop-after-accept', key: 'F-DA' });
  });

  it('drop-after-accept on a leave with a file', async () => {
    sb.setFaults([{ endpoint: 'leave', kind: 'drop-after-accept', count: 1 }]);
    const params = withSign(leaveParams(PARK, 'L-DA'), SECRET);
    await expect(postMultipart(sb.url, LEAVE, params)).rejects.toThrow();
    expect(sb.state().accepted.leave.map((r) => r.key)).toEqual(['L-DA']);
  });

  it('drop-after-accept on vip-recharge stores the batch', async () => {
    sb.setFaults([{ endpoint: 'vip-recharge', kind: 'drop-after-accept', count: 1 }]);
    const body = JSON.stringify({
      park_uuid: PARK,
      complete: 1,
      row: [
        { plate: 'A', plate_color: 1, charge_type: 'M', vip_type: 1, quantity: 1, pay_partner: 'DA-1', pay_type: 1 },
      ],
    });
    await expect(postJson(sb.url, body, jsonAuth(body, SECRET))).rejects.toThrow();
    const st = sb.state();
    expect(st.accepted.vip.map((r) => r.pay_partner)).toEqual(['DA-1']);
    expect(st.completes).toBe(1);
    expect((await postJson(sb.url, body, jsonAuth(body, SECRET))).body.code).toBe('1001');
  });

  it('delay → answered normally after delayMs', async () => {
    sb.setFaults([{ kind: 'delay', delayMs: 300 }]);
    const t0 = Date.now();
    const a = await sendUpdate(sb, 'F-DL');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect(a.body.code).toBe('1001');
    expect(sb.state().requests.at(-1)).toMatchObject({ httpStatus: 200, code: '1001', fault: 'delay' });
  });

  it('hang → never answered; the client gives up on its own timeout', async () => {
    sb.setFaults([{ kind: 'hang' }]);
    const t0 = Date.now();
    await expect(sendUpdate(sb, 'F-H', { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(sb.state().accepted.update).toHaveLength(0);
    expect(sb.state().requests.at(-1)).toMatchObject({ fault: 'hang', httpStatus: null });
  });

  it('endpoint filter: a leave rule does not touch update or vip-recharge', async () => {
    sb.setFaults([{ endpoint: 'leave', kind: 'error', httpStatus: 503 }]);
    expect((await sendUpdate(sb, 'F-E')).body.code).toBe('1001');
    const body = JSON.stringify({
      park_uuid: PARK,
      row: [{ plate: 'A', plate_color: 1, charge_type: 'M', vip_type: 1, quantity: 1, pay_partner: 'P', pay_type: 1 }],
    });
    expect((await postJson(sb.url, body, jsonAuth(body, SECRET))).body.code).toBe('1001');
    expect((await postMultipart(sb.url, LEAVE, withSign(leaveParams(PARK, 'L'), SECRET))).status).toBe(503);
  });

  it('count: a rule applies at most N times, then the next rule or normal handling', async () => {
    sb.setFaults([{ kind: 'error', httpStatus: 503, count: 2 }]);
    const codes: unknown[] = [];
    for (let i = 0; i < 4; i++) codes.push((await sendUpdate(sb, `F-C${i}`)).body.code);
    expect(codes).toEqual(['503', '503', '1001', '1001']);
  });

  it('rate with count: draws from a PRNG seeded by opts.seed, deterministic for a seed', async () => {
    const pattern = async (seed: number): Promise<string> => {
      const s = await startSandbox({ seed });
      try {
        s.setFaults([{ kind: 'error', httpStatus: 503, rate: 0.5, count: 3 }]);
        let out = '';
        for (let i = 0; i < 12; i++) out += (await sendUpdate(s, `RC-${i}`)).status === 503 ? 'X' : '.';
        return out;
      } finally {
        await s.close();
      }
    };
    const a = await pattern(7);
    const b = await pattern(7);
    expect(a).toBe(b);
    expect([...a].filter((c) => c === 'X')).toHaveLength(3);
    expect(a).not.toBe('XXX.........'); // a rate below 1 does draw
    const others = await Promise.all([1, 2, 3, 4, 5].map(pattern));
    expect(new Set([a, ...others]).size).toBeGreaterThan(1);
  });

  it('reset() restarts the PRNG and drops the rules', async () => {
    sb.setFaults([{ kind: 'error', rate: 0.5 }]);
    let first = '';
    for (let i = 0; i < 8; i++) first += (await sendUpdate(sb, `P-${i}`)).status === 500 ? 'X' : '.';
    sb.reset();
    expect((await sendUpdate(sb, 'after-reset')).body.code).toBe('1001');
    sb.reset();
    sb.setFaults([{ kind: 'error', rate: 0.5 }]);
    let second = '';
    for (let i = 0; i < 8; i++) second += (await sendUpdate(sb, `P-${i}`)).status === 500 ? 'X' : '.';
    expect(second).toBe(first);
  });

  it('faults can be set over HTTP, and bad rules are refused', async () => {
    const ok = await postAdmin(
      sb.url,
      '/__sandbox/faults',
      { rules: [{ kind: 'error', httpStatus: 503, count: 1 }] },
      sb.token,
    );
    expect(ok.status).toBe(200);
    expect((await sendUpdate(sb, 'H-1')).status).toBe(503);
    expect((await sendUpdate(sb, 'H-2')).status).toBe(200);
    const bad = await postAdmin(sb.url, '/__sandbox/faults', { rules: [{ kind: 'explode' }] }, sb.token);
    expect(bad.status).toBe(400);
    const state = await getJson(sb.url, '/__sandbox/state', sb.token);
    expect(state.body.received as number).toBe(2);
  });
});
