// Server-level behaviour: routing, unknown parks, admin endpoints, secrecy, close().

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  SANDBOX_DEFAULT_PARK,
  SANDBOX_DEFAULT_SECRET,
  startSandbox,
  type Sandbox,
} from '../../electron/sandbox/server.ts';
import {
  HEX16,
  LEAVE,
  UPDATE,
  VIP,
  getJson,
  jsonAuth,
  leaveParams,
  postAdmin,
  postJson,
  postMultipart,
  updateParams,
  withSign,
  type Answer,
} from './helpers.ts';

describe('sandbox server', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(() => {
    sb.reset();
    sb.setParks({ [SANDBOX_DEFAULT_PARK]: SANDBOX_DEFAULT_SECRET });
  });

  it('listens on 127.0.0.1 on a chosen port, url without trailing slash', () => {
    expect(sb.url).toBe(`http://127.0.0.1:${sb.port}`);
    expect(sb.port).toBeGreaterThan(0);
    expect(sb.state().parks).toEqual([SANDBOX_DEFAULT_PARK]);
  });

  it('unknown path → 404 JSON with code "404"', async () => {
    const a = await postMultipart(sb.url, '/gate/1.0/parking/internal/release', []);
    expect(a.status).toBe(404);
    expect(a.body).toMatchObject({ code: '404', data_node: 'SANDBOX/LOCAL-1' });
    expect(a.body.seqno).toMatch(HEX16);
    expect(sb.state().received).toBe(0);
  });

  it('unknown park_uuid → 403 访问被拦截 naming park_uuid, on all three endpoints', async () => {
    const u = await postMultipart(sb.url, UPDATE, withSign(updateParams('NOPE-PARK', 'F'), 'x'));
    const l = await postMultipart(sb.url, LEAVE, withSign(leaveParams('NOPE-PARK', 'S'), 'x'));
    const body = JSON.stringify({ park_uuid: 'NOPE-PARK', row: [] });
    const v = await postJson(sb.url, body, jsonAuth(body, 'x'));
    for (const a of [u, l, v]) {
      expect(a.status).toBe(403);
      expect(a.body).toMatchObject({ code: '403', message: '访问被拦截' });
      expect(String(a.body.hint)).toContain('park_uuid');
      expect(String(a.body.hint)).toContain('NOPE-PARK');
    }
  });

  it('missing park_uuid → 400 on the form endpoints too (not 200-ignored for leave)', async () => {
    const params = withSign(
      leaveParams(SANDBOX_DEFAULT_PARK, 'S').filter(([k]) => k !== 'park_uuid'),
      SANDBOX_DEFAULT_SECRET,
    );
    const a = await postMultipart(sb.url, LEAVE, params);
    expect(a.status).toBe(400);
    expect(a.body.hint).toBe('参数`park_uuid`未传递');
  });

  it('setParks switches the accepted parks and secrets', async () => {
    sb.setParks({ NEW: 'new-secret' });
    expect(
      (await postMultipart(sb.url, UPDATE, withSign(updateParams(SANDBOX_DEFAULT_PARK, 'F'), SANDBOX_DEFAULT_SECRET)))
        .status,
    ).toBe(403);
    expect((await postMultipart(sb.url, UPDATE, withSign(updateParams('NEW', 'F'), 'new-secret'))).body.code).toBe(
      '1001',
    );
    const viaHttp = await postAdmin(sb.url, '/__sandbox/parks', { parks: { HTTP: 'http-secret' } }, sb.token);
    expect(viaHttp.status).toBe(200);
    expect(sb.state().parks).toEqual(['HTTP']);
    expect((await postAdmin(sb.url, '/__sandbox/parks', { parks: ['x'] }, sb.token)).status).toBe(400);
  });

  it('the secret never appears in any answer', async () => {
    const SECRET = 'S3cr3t-never-shown-7781';
    sb.setParks({ P: SECRET });
    const answers: Answer[] = [];
    answers.push(await postMultipart(sb.url, UPDATE, withSign(updateParams('P', 'F1'), SECRET)));
    answers.push(await postMultipart(sb.url, UPDATE, withSign(updateParams('P', 'F2'), 'bad')));
    answers.push(
      await postMultipart(sb.url, UPDATE, [...withSign(updateParams('P', 'F3'), 'bad'), ['app_secret', SECRET]]),
    );
    answers.push(await postMultipart(sb.url, LEAVE, withSign(leaveParams('P', 'S1'), 'bad')));
    answers.push(
      await postMultipart(sb.url, LEAVE, [...withSign(leaveParams('P', 'S2'), 'bad'), ['app_secret', SECRET]]),
    );
    answers.push(await postMultipart(sb.url, LEAVE, withSign(leaveParams('P', 'S3'), SECRET)));
    const body = JSON.stringify({ park_uuid: 'P', row: [{ plate: 'A' }] });
    answers.push(await postJson(sb.url, body, jsonAuth(body, 'bad')));
    answers.push(await postJson(sb.url, body, jsonAuth(body, SECRET)));
    answers.push(await getJson(sb.url, '/__sandbox/state', sb.token));
    for (const a of answers) expect(a.text).not.toContain(SECRET);
    expect(answers[1]?.body.hint).toMatch(/&app_secret=\*\*\*$/);
    expect(answers[2]?.body.hint).toContain('app_secret=***&');
  });

  it('HTTP status equals the code for errors, 200 for successes; seqno is fresh 16 hex each time', async () => {
    const seqnos = new Set<unknown>();
    for (let i = 0; i < 5; i++) {
      const a = await postMultipart(
        sb.url,
        UPDATE,
        withSign(updateParams(SANDBOX_DEFAULT_PARK, `SQ-${i}`), SANDBOX_DEFAULT_SECRET),
      );
      expect(a.status).toBe(200);
      expect(typeof a.body.code).toBe('string');
      expect(a.body.seqno).toMatch(HEX16);
      seqnos.add(a.body.seqno);
    }
    expect(seqnos.size).toBe(5);
  });

  it('GET /__sandbox/state serves the same state as state(); health and reset work over HTTP', async () => {
    await postMultipart(sb.url, UPDATE, withSign(updateParams(SANDBOX_DEFAULT_PARK, 'ST-1'), SANDBOX_DEFAULT_SECRET));
    await postMultipart(sb.url, LEAVE, withSign(leaveParams(SANDBOX_DEFAULT_PARK, 'ST-2'), SANDBOX_DEFAULT_SECRET));
    const viaHttp = await getJson(sb.url, '/__sandbox/state', sb.token);
    expect(viaHttp.status).toBe(200);
    expect(viaHttp.body).toEqual(JSON.parse(JSON.stringify(sb.state())) as unknown);
    expect(viaHttp.body.received).toBe(2);
    expect((viaHttp.body.requests as unknown[]).length).toBe(2);
    expect((await getJson(sb.url, '/__sandbox/health')).body).toEqual({ ok: true });
    expect((await postAdmin(sb.url, '/__sandbox/reset', {}, sb.token)).status).toBe(200);
    const after = sb.state();
    expect(after.received).toBe(0);
    expect(after.accepted.update).toHaveLength(0);
    expect(after.requests).toHaveLength(0);
  });

  it('GET on an endpoint is not accepted', async () => {
    const a = await getJson(sb.url, VIP);
    expect(a.status).toBe(405);
    expect(sb.state().received).toBe(0);
  });

  it('state() is a snapshot, not a live reference', async () => {
    const before = sb.state();
    before.accepted.update.push({ park_uuid: 'x', key: 'x', fields: {}, files: [], seqno: 'x', at: 'x' });
    expect(sb.state().accepted.update).toHaveLength(0);
  });

  it('the request log keeps only the newest 1000', async () => {
    const s = await startSandbox();
    try {
      const reqs: Promise<Answer>[] = [];
      for (let i = 0; i < 1010; i++) {
        reqs.push(postMultipart(s.url, UPDATE, []));
        if (reqs.length >= 50) await Promise.all(reqs.splice(0));
      }
      await Promise.all(reqs);
      const st = s.state();
      expect(st.received).toBe(1010);
      expect(st.requests).toHaveLength(1000);
    } finally {
      await s.close();
    }
  });
});

describe('close()', () => {
  it('ends a hanging request and all sockets promptly', async () => {
    const sb = await startSandbox();
    sb.setFaults([{ kind: 'hang' }]);
    const pending = postMultipart(
      sb.url,
      UPDATE,
      withSign(updateParams(SANDBOX_DEFAULT_PARK, 'HANG'), SANDBOX_DEFAULT_SECRET),
    ).then(
      () => 'answered',
      () => 'failed',
    );
    while (sb.state().received === 0) await new Promise((r) => setTimeout(r, 10));
    const t0 = Date.now();
    await sb.close();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await pending).toBe('failed');
  });

  it('ends a delayed request promptly too, and close() is idempotent', async () => {
    const sb = await startSandbox();
    sb.setFaults([{ kind: 'delay', delayMs: 60_000 }]);
    const pending = postMultipart(
      sb.url,
      UPDATE,
      withSign(updateParams(SANDBOX_DEFAULT_PARK, 'DL'), SANDBOX_DEFAULT_SECRET),
    ).then(
      () => 'answered',
      () => 'failed',
    );
    while (sb.state().received === 0) await new Promise((r) => setTimeout(r, 10));
    const t0 = Date.now();
    await Promise.all([sb.close(), sb.close()]);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await pending).toBe('failed');
    expect(sb.state().accepted.update).toHaveLength(0);
  });

  it('a fixed port can be asked for', async () => {
    const probe = await startSandbox();
    const port = probe.port;
    await probe.close();
    const sb = await startSandbox({ port });
    try {
      expect(sb.port).toBe(port);
      expect((await getJson(sb.url, '/__sandbox/health')).body).toEqual({ ok: true });
    } finally {
      await sb.close();
    }
  });
});
