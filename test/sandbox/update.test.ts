// POST /gate/1.0/parking/internal/update: signing, validation, storage, repeats, encoding=URL.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  SANDBOX_DEFAULT_PARK,
  SANDBOX_DEFAULT_SECRET,
  startSandbox,
  type Sandbox,
} from '../../electron/sandbox/server.ts';
import {
  HEX16,
  UPDATE,
  plainOf,
  postMultipart,
  postUrlEncoded,
  updateParams,
  withSign,
  type Params,
} from './helpers.ts';

const PARK = SANDBOX_DEFAULT_PARK;
const SECRET = SANDBOX_DEFAULT_SECRET;

function replace(params: Params, key: string, value: string | null): Params {
  const out = params.filter(([k]) => k !== key);
  return value === null ? out : [...out, [key, value]];
}

describe('update', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.reset());

  it('accepts a signed multipart record with 1001 and stores the decoded fields without sign', async () => {
    const params = withSign(updateParams(PARK, 'FLOW-1'), SECRET);
    const a = await postMultipart(sb.url, UPDATE, params);
    expect(a.status).toBe(200);
    expect(a.contentType).toMatch(/application\/json/);
    expect(a.body).toMatchObject({ code: '1001', message: 'OK', data_node: 'SANDBOX/LOCAL-1', path: `POST ${UPDATE}` });
    expect(a.body.hint).toBeUndefined();
    expect(a.body.seqno).toMatch(HEX16);
    const st = sb.state();
    expect(st.received).toBe(1);
    expect(st.accepted.update).toHaveLength(1);
    const rec = st.accepted.update[0];
    expect(rec?.key).toBe('FLOW-1');
    expect(rec?.park_uuid).toBe(PARK);
    expect(rec?.fields.plate).toBe('粤B12345');
    expect(rec?.fields.reason).toBe('设备异常');
    expect(rec?.fields.sign).toBeUndefined();
    expect(rec?.files).toEqual([]);
    expect(rec?.seqno).toBe(a.body.seqno);
    expect(st.requests.at(-1)).toMatchObject({
      endpoint: 'update',
      httpStatus: 200,
      code: '1001',
      fault: null,
      key: 'FLOW-1',
    });
  });

  it('accepts a lower-case sign, and application/x-www-form-urlencoded', async () => {
    const params = updateParams(PARK, 'FLOW-LC');
    const signed = withSign(params, SECRET).map(([k, v]): [string, string] => [k, k === 'sign' ? v.toLowerCase() : v]);
    expect((await postMultipart(sb.url, UPDATE, signed)).body.code).toBe('1001');
    const form = withSign(updateParams(PARK, 'FLOW-URLENC'), SECRET);
    const a = await postUrlEncoded(sb.url, UPDATE, form);
    expect(a.body.code).toBe('1001');
    expect(sb.state().accepted.update.map((r) => r.key)).toEqual(['FLOW-LC', 'FLOW-URLENC']);
  });

  it('drops empty values from the signature (and from storage)', async () => {
    const params: Params = [...updateParams(PARK, 'FLOW-EMPTY'), ['car_desc2', '']];
    const a = await postMultipart(sb.url, UPDATE, withSign(params, SECRET));
    expect(a.body.code).toBe('1001');
    expect(sb.state().accepted.update[0]?.fields).not.toHaveProperty('car_desc2');
  });

  it('bad sign → HTTP 401 with the platform plain text and app_secret=***; nothing stored', async () => {
    const params = withSign(updateParams(PARK, 'FLOW-BAD'), 'wrong-secret');
    const a = await postMultipart(sb.url, UPDATE, params);
    expect(a.status).toBe(401);
    expect(a.body).toMatchObject({ code: '401', message: '请求签名校验不通过' });
    expect(a.body.hint).toBe(`${plainOf(params)}&app_secret=***`);
    expect(a.text).not.toContain(SECRET);
    expect(sb.state().accepted.update).toHaveLength(0);
  });

  it('missing sign → 401', async () => {
    const a = await postMultipart(sb.url, UPDATE, updateParams(PARK, 'FLOW-NOSIGN'));
    expect(a.status).toBe(401);
    expect(a.body.code).toBe('401');
  });

  it('a sign computed over values that were not sent fails (values are signed as sent)', async () => {
    const params = updateParams(PARK, 'FLOW-TAMPER');
    const signed = withSign(params, SECRET);
    const tampered = replace(signed, 'reason', '另一个原因');
    expect((await postMultipart(sb.url, UPDATE, tampered)).status).toBe(401);
  });

  for (const field of ['park_uuid', 'flow_no', 'parking_serial', 'plate', 'operate_time', 'operator', 'reason']) {
    it(`missing ${field} → 400 naming it`, async () => {
      const params = withSign(replace(updateParams(PARK, 'FLOW-MISS'), field, null), SECRET);
      const a = await postMultipart(sb.url, UPDATE, params);
      expect(a.status).toBe(400);
      expect(a.body).toMatchObject({ code: '400', message: '请求参数错误', hint: `参数\`${field}\`未传递` });
    });
  }

  it('an empty required value counts as not sent', async () => {
    const params = withSign(replace(updateParams(PARK, 'FLOW-E'), 'operator', ''), SECRET);
    const a = await postMultipart(sb.url, UPDATE, params);
    expect(a.body.hint).toBe('参数`operator`未传递');
  });

  const badTimes: [string, string][] = [
    ['operate_time', '2022-09-01 08:00:00'],
    ['operate_time', '2022-09-01T08:00:00+08:00'],
    ['operate_time', '2022-09-01T00:00:00'],
    ['operate_time', '1661990400000'],
    ['enter_time', '2022-02-30T00:00:00Z'],
    ['leave_time', '2022-09-01T24:00:00Z'],
    ['leave_time', '2022-09-01T00:00:00.1Z'],
  ];
  for (const [field, value] of badTimes) {
    it(`bad time ${field}=${value} → 400 格式错误`, async () => {
      const params = withSign(replace(updateParams(PARK, 'FLOW-T'), field, value), SECRET);
      const a = await postMultipart(sb.url, UPDATE, params);
      expect(a.status).toBe(400);
      expect(a.body.hint).toBe(`参数\`${field}\`格式错误`);
    });
  }

  it('accepts UTC times with and without milliseconds', async () => {
    const params = replace(
      replace(updateParams(PARK, 'FLOW-MS'), 'operate_time', '2022-09-01T00:00:00.000Z'),
      'enter_time',
      '2021-09-02T09:36:46Z',
    );
    expect((await postMultipart(sb.url, UPDATE, withSign(params, SECRET))).body.code).toBe('1001');
  });

  it('plate_color and car_type outside their enumerations → 400', async () => {
    const a = await postMultipart(
      sb.url,
      UPDATE,
      withSign(replace(updateParams(PARK, 'F'), 'plate_color', '6'), SECRET),
    );
    expect(a.body.hint).toBe('参数`plate_color`格式错误');
    const b = await postMultipart(sb.url, UPDATE, withSign(replace(updateParams(PARK, 'F'), 'car_type', '5'), SECRET));
    expect(b.body.hint).toBe('参数`car_type`格式错误');
    const c = await postMultipart(
      sb.url,
      UPDATE,
      withSign(replace(updateParams(PARK, 'F'), 'plate_color', '-1'), SECRET),
    );
    expect(c.body.code).toBe('1001');
  });

  it('repeat flow_no → 1001 OK without hint, not stored again, recorded with sameContent', async () => {
    const first = withSign(updateParams(PARK, 'FLOW-R'), SECRET);
    const a1 = await postMultipart(sb.url, UPDATE, first);
    const a2 = await postMultipart(sb.url, UPDATE, first);
    expect(a2.status).toBe(200);
    expect(a2.body).toMatchObject({ code: '1001', message: 'OK' });
    expect(a2.body.hint).toBeUndefined();
    expect(a2.body.seqno).not.toBe(a1.body.seqno);
    const changed = withSign(replace(updateParams(PARK, 'FLOW-R'), 'reason', '道闸故障'), SECRET);
    const a3 = await postMultipart(sb.url, UPDATE, changed);
    expect(a3.body).toMatchObject({ code: '1001', message: 'OK' });
    const st = sb.state();
    expect(st.accepted.update).toHaveLength(1);
    expect(st.accepted.update[0]?.fields.reason).toBe('设备异常');
    expect(st.repeats.map((r) => [r.endpoint, r.park_uuid, r.key, r.sameContent])).toEqual([
      ['update', PARK, 'FLOW-R', true],
      ['update', PARK, 'FLOW-R', false],
    ]);
  });

  it('the same flow_no in another park is a new record', async () => {
    sb.setParks({ [PARK]: SECRET, OTHER: 'other-secret' });
    await postMultipart(sb.url, UPDATE, withSign(updateParams(PARK, 'FLOW-X'), SECRET));
    const a = await postMultipart(sb.url, UPDATE, withSign(updateParams('OTHER', 'FLOW-X'), 'other-secret'));
    expect(a.body.code).toBe('1001');
    expect(sb.state().accepted.update).toHaveLength(2);
    expect(sb.state().repeats).toHaveLength(0);
    sb.setParks({ [PARK]: SECRET });
  });

  it('encoding=URL: signed over the encoded values, stored decoded (Java URLDecoder, + is a space)', async () => {
    const raw: Params = [
      ...replace(
        replace(
          replace(updateParams(PARK, 'FLOW-ENC'), 'reason', '%E4%B8%AD%E6%96%87ABC'),
          'plate',
          encodeURIComponent('粤B12345'),
        ),
        'operator',
        'Zhang+San',
      ),
      ['encoding', 'URL'],
    ];
    const a = await postMultipart(sb.url, UPDATE, withSign(raw, SECRET));
    expect(a.body.code).toBe('1001');
    const fields = sb.state().accepted.update[0]?.fields;
    expect(fields?.reason).toBe('中文ABC');
    expect(fields?.plate).toBe('粤B12345');
    expect(fields?.operator).toBe('Zhang San');
  });

  it('encoding=URL: a sign over the decoded values is rejected', async () => {
    const decoded = replace(updateParams(PARK, 'FLOW-ENC2'), 'reason', '中文ABC');
    const sign = withSign([...decoded, ['encoding', 'URL']], SECRET).find(([k]) => k === 'sign')?.[1] ?? '';
    const sent: Params = [...replace(decoded, 'reason', '%E4%B8%AD%E6%96%87ABC'), ['encoding', 'URL'], ['sign', sign]];
    const a = await postMultipart(sb.url, UPDATE, sent);
    expect(a.status).toBe(401);
    expect(a.body.hint).toContain('reason=%E4%B8%AD%E6%96%87ABC');
  });

  it('encoding=URL: a malformed escape → 400 naming the field', async () => {
    const raw: Params = [...replace(updateParams(PARK, 'FLOW-ENC3'), 'reason', '%E4%B8%A'), ['encoding', 'URL']];
    const a = await postMultipart(sb.url, UPDATE, withSign(raw, SECRET));
    expect(a.status).toBe(400);
    expect(a.body.hint).toBe('参数`reason`格式错误');
  });

  it('without encoding=URL, percent signs are kept as sent', async () => {
    const raw = replace(updateParams(PARK, 'FLOW-RAW'), 'reason', '100%E4 a+b');
    expect((await postMultipart(sb.url, UPDATE, withSign(raw, SECRET))).body.code).toBe('1001');
    expect(sb.state().accepted.update[0]?.fields.reason).toBe('100%E4 a+b');
  });

  it('urlencoded transport: + and %XX are the form encoding, the signed value is the decoded one', async () => {
    const params = replace(updateParams(PARK, 'FLOW-SP'), 'reason', 'gate a+b 中文 100%');
    const a = await postUrlEncoded(sb.url, UPDATE, withSign(params, SECRET));
    expect(a.body.code).toBe('1001');
    expect(sb.state().accepted.update[0]?.fields.reason).toBe('gate a+b 中文 100%');
  });

  it('a file part on update → 400 naming it', async () => {
    const a = await postMultipart(sb.url, UPDATE, withSign(updateParams(PARK, 'FLOW-FILE'), SECRET), [
      { field: 'image_file', filename: 'x.jpg', bytes: new Uint8Array([1, 2, 3]) },
    ]);
    expect(a.status).toBe(400);
    expect(a.body.hint).toBe('参数`image_file`格式错误');
  });

  it('a duplicated parameter → 400 naming it', async () => {
    const params = withSign(updateParams(PARK, 'FLOW-DUP'), SECRET);
    const a = await postMultipart(sb.url, UPDATE, [...params, ['plate', '粤B99999']]);
    expect(a.status).toBe(400);
    expect(a.body.hint).toBe('参数`plate`格式错误');
  });

  it('an unparsable body → 400', async () => {
    const res = await fetch(sb.url + UPDATE, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.code).toBe('400');
    const res2 = await fetch(sb.url + UPDATE, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xy',
    });
    expect(res2.status).toBe(400);
  });
});
