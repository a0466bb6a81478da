/** Issue 8, point 9: a web page cannot read, reset or inject faults into the sandbox: JSON and its own token only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../electron/sandbox/server.ts';
import { postAdmin, postUrlEncoded, UPDATE, updateParams, withSign } from './helpers.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ parks: { P1: 's1' } });
});
afterAll(() => sb.close());

async function raw(path: string, init: RequestInit): Promise<number> {
  return (await fetch(sb.url + path, init)).status;
}

describe('sandbox admin endpoints', () => {
  it('has a random token per start', async () => {
    const other = await startSandbox();
    expect(sb.token).toMatch(/^[\w-]{20,}$/);
    expect(other.token).not.toBe(sb.token);
    await other.close();
  });

  const refusesWithoutToken =
    "refuse a POST without the token, or not JSON (a page's simple request), with 403, and change nothing";
  it(refusesWithoutToken, async () => {
    await postUrlEncoded(sb.url, UPDATE, withSign(updateParams('P1', 'F-1'), 's1'));
    expect(sb.state().accepted.update).toHaveLength(1);
    const reset = JSON.stringify({});
    const faults = JSON.stringify({ rules: [{ kind: 'error', httpStatus: 503 }] });
    const parks = JSON.stringify({ parks: { EVIL: 'x' } });
    for (const [path, body] of [
      ['/__sandbox/reset', reset],
      ['/__sandbox/faults', faults],
      ['/__sandbox/parks', parks],
    ] as const) {
      expect(await raw(path, { method: 'POST', headers: { 'content-type': 'text/plain' }, body })).toBe(403);
      expect(
        await raw(path, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'x-sandbox-token': sb.token },
          body,
        }),
      ).toBe(403);
      expect(await raw(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).toBe(403);
      expect(
        await raw(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-sandbox-token': 'wrong' },
          body,
        }),
      ).toBe(403);
    }
    expect(sb.state().accepted.update).toHaveLength(1);
    const answer = await postUrlEncoded(sb.url, UPDATE, withSign(updateParams('P1', 'F-2'), 's1'));
    expect(answer.status).toBe(200); // no fault was injected
    expect(sb.state().accepted.update).toHaveLength(2);
  });

  it('GET state needs the token too (it holds the received records); health does not', async () => {
    expect(await raw('/__sandbox/state', {})).toBe(403);
    expect(await raw('/__sandbox/state', { headers: { 'x-sandbox-token': sb.token } })).toBe(200);
    expect(await raw('/__sandbox/health', {})).toBe(200);
  });

  it('accept JSON with the token', async () => {
    expect((await postAdmin(sb.url, '/__sandbox/reset', {}, sb.token)).status).toBe(200);
    expect(sb.state().accepted.update).toHaveLength(0);
  });
});
