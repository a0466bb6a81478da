// POST /gate/1.0/parking/internal/leave: 200 on success, 200+hint on a bad sign, files and hashes.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  SANDBOX_DEFAULT_PARK,
  SANDBOX_DEFAULT_SECRET,
  startSandbox,
  type Sandbox,
} from '../../electron/sandbox/server.ts';
import { LEAVE, leaveParams, md5, plainOf, postMultipart, withSign, type FilePart, type Params } from './helpers.ts';

const PARK = SANDBOX_DEFAULT_PARK;
const SECRET = SANDBOX_DEFAULT_SECRET;

function replace(params: Params, key: string, value: string | null): Params {
  const out = params.filter(([k]) => k !== key);
  return value === null ? out : [...out, [key, value]];
}

const IMAGE = new TextEncoder().encode('\xff\xd8 not really a jpeg, but bytes all the same \xff\xd9');

describe('leave', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.reset());

  it('accepts a signed record with code 200 and stores it', async () => {
    const a = await postMultipart(sb.url, LEAVE, withSign(leaveParams(PARK, 'SER-1'), SECRET));
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ code: '200', message: 'OK', path: `POST ${LEAVE}` });
    expect(a.body.hint).toBeUndefined();
    const rec = sb.state().accepted.leave[0];
    expect(rec?.key).toBe('SER-1');
    expect(rec?.fields.car_desc).toBe('临时车');
  });

  it('bad sign → HTTP 200, 已忽略当前请求, hint 签名验证不通过[<plain>&app_secret=***], nothing stored', async () => {
    const params = withSign(leaveParams(PARK, 'SER-BAD'), 'not-the-secret');
    const a = await postMultipart(sb.url, LEAVE, params);
    expect(a.status).toBe(200);
    expect(a.body.code).toBe('200');
    expect(a.body.message).toBe('已忽略当前请求');
    expect(a.body.hint).toBe(`签名验证不通过[${plainOf(params)}&app_secret=***]`);
    expect(String(a.body.hint)).toMatch(/^签名验证不通过\[.*app_secret=\*\*\*\]$/);
    expect(a.text).not.toContain(SECRET);
    expect(sb.state().accepted.leave).toHaveLength(0);
  });

  it('missing sign → the same ignored answer', async () => {
    const a = await postMultipart(sb.url, LEAVE, leaveParams(PARK, 'SER-NOSIGN'));
    expect(a.body.message).toBe('已忽略当前请求');
    expect(sb.state().accepted.leave).toHaveLength(0);
  });

  for (const field of [
    'park_uuid',
    'parking_serial',
    'plate_color',
    'enter_time',
    'car_type',
    'car_desc',
    'charge_type',
    'leave_time',
  ]) {
    it(`missing ${field} → 400 naming it`, async () => {
      const a = await postMultipart(sb.url, LEAVE, withSign(replace(leaveParams(PARK, 'SER-M'), field, null), SECRET));
      expect(a.status).toBe(400);
      expect(a.body).toMatchObject({ code: '400', message: '请求参数错误', hint: `参数\`${field}\`未传递` });
    });
  }

  it('plate is optional; api_type is required only with app_id', async () => {
    expect(
      (await postMultipart(sb.url, LEAVE, withSign(replace(leaveParams(PARK, 'SER-NP'), 'plate', null), SECRET))).body
        .code,
    ).toBe('200');
    const withApp = withSign([...leaveParams(PARK, 'SER-APP'), ['app_id', 'op1234567723122']], SECRET);
    const a = await postMultipart(sb.url, LEAVE, withApp);
    expect(a.status).toBe(400);
    expect(a.body.hint).toBe('参数`api_type`未传递');
    const ok = withSign(
      [...leaveParams(PARK, 'SER-APP'), ['app_id', 'op1234567723122'], ['api_type', 'XXX-SERVICE']],
      SECRET,
    );
    expect((await postMultipart(sb.url, LEAVE, ok)).body.code).toBe('200');
  });

  const badValues: [string, string][] = [
    ['enter_time', '2021-06-28 18:05:32'],
    ['enter_time', '2021-06-28T10:05:32Z'],
    ['leave_time', '1624937505'],
    ['leave_time', '1624937505093.5'],
    ['total_value', '10.00'],
    ['cash_value', '-100'],
    ['free_value', '1e3'],
    ['online_value', 'abc'],
    ['balance_value', '5元'],
    ['prepaid_value', ' 100'],
    ['plate_color', '9'],
    ['car_type', '7'],
  ];
  for (const [field, value] of badValues) {
    it(`${field}=${value} → 400 格式错误`, async () => {
      const a = await postMultipart(sb.url, LEAVE, withSign(replace(leaveParams(PARK, 'SER-F'), field, value), SECRET));
      expect(a.status).toBe(400);
      expect(a.body.hint).toBe(`参数\`${field}\`格式错误`);
    });
  }

  const badPayments: [string, string][] = [
    ['not json', 'payment_list'],
    ['{"value":500}', 'payment_list'],
    ['[{"value":5.5}]', 'payment_list[0].value'],
    ['[{"value":"500"},{"free_value":"1.00"}]', 'payment_list[1].free_value'],
    ['[{"change_value":-1}]', 'payment_list[0].change_value'],
    ['[{"pay_type":"5"}]', 'payment_list[0].pay_type'],
    ['[{"pay_type":0}]', 'payment_list[0].pay_type'],
    ['[1]', 'payment_list[0]'],
  ];
  for (const [value, named] of badPayments) {
    it(`payment_list ${value} → 400 naming ${named}`, async () => {
      const a = await postMultipart(
        sb.url,
        LEAVE,
        withSign([...leaveParams(PARK, 'SER-P'), ['payment_list', value]], SECRET),
      );
      expect(a.status).toBe(400);
      expect(a.body.hint).toBe(`参数\`${named}\`格式错误`);
    });
  }

  it('payment_list with numbers or digit strings and pay_type 1..4 is accepted and stored as sent', async () => {
    const list =
      '[{"pay_type":1,"value":500,"free_value":"100","change_value":"0",' +
      '"parking_order":"PO1","pay_time":"1572410847545"},' +
      '{"pay_type":"4","value":"300"}]';
    const a = await postMultipart(
      sb.url,
      LEAVE,
      withSign([...leaveParams(PARK, 'SER-PL'), ['payment_list', list]], SECRET),
    );
    expect(a.body.code).toBe('200');
    expect(sb.state().accepted.leave[0]?.fields.payment_list).toBe(list);
  });

  it('file part with the right hash is accepted and stored with size and md5 (upper case)', async () => {
    const hash = md5(IMAGE);
    const params = withSign([...leaveParams(PARK, 'SER-IMG'), ['leave_image_hash', hash.toLowerCase()]], SECRET);
    const files: FilePart[] = [{ field: 'leave_image_file', filename: 'leave.jpg', bytes: IMAGE }];
    const a = await postMultipart(sb.url, LEAVE, params, files);
    expect(a.body).toMatchObject({ code: '200', message: 'OK' });
    const rec = sb.state().accepted.leave[0];
    expect(rec?.files).toEqual([{ field: 'leave_image_file', filename: 'leave.jpg', size: IMAGE.length, md5: hash }]);
    expect(rec?.fields.leave_image_hash).toBe(hash.toLowerCase());
  });

  it('the file part is not signed, the hash is', async () => {
    const hash = md5(IMAGE);
    const unsigned = [...leaveParams(PARK, 'SER-SIG'), ['leave_image_hash', hash]] as Params;
    // sign computed without the hash → rejected as a bad sign
    const wrong: Params = [...unsigned, ['sign', withSign(leaveParams(PARK, 'SER-SIG'), SECRET).at(-1)?.[1] ?? '']];
    const a = await postMultipart(sb.url, LEAVE, wrong, [
      { field: 'leave_image_file', filename: 'a.jpg', bytes: IMAGE },
    ]);
    expect(a.body.message).toBe('已忽略当前请求');
    expect(String(a.body.hint)).toContain(`leave_image_hash=${hash}`);
    expect(String(a.body.hint)).not.toContain('leave_image_file');
  });

  it('wrong hash → 400 naming the hash field; missing hash → 400 未传递', async () => {
    const files: FilePart[] = [{ field: 'enter_image_file', filename: 'enter.jpg', bytes: IMAGE }];
    const wrong = withSign([...leaveParams(PARK, 'SER-H'), ['enter_image_hash', md5('other bytes')]], SECRET);
    const a = await postMultipart(sb.url, LEAVE, wrong, files);
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ code: '400', hint: '参数`enter_image_hash`格式错误' });
    const missing = withSign(leaveParams(PARK, 'SER-H'), SECRET);
    const b = await postMultipart(sb.url, LEAVE, missing, files);
    expect(b.status).toBe(400);
    expect(b.body.hint).toBe('参数`enter_image_hash`未传递');
    expect(sb.state().accepted.leave).toHaveLength(0);
  });

  it('all four image parts, each checked against its own hash', async () => {
    const parts = ['enter_image', 'enter_plate_image', 'leave_image', 'leave_plate_image'].map((name, i) => ({
      name,
      bytes: randomBytes(1000 + i),
    }));
    const params = withSign(
      [...leaveParams(PARK, 'SER-4'), ...parts.map((p): [string, string] => [`${p.name}_hash`, md5(p.bytes)])],
      SECRET,
    );
    const files = parts.map((p) => ({ field: `${p.name}_file`, filename: `${p.name}.jpg`, bytes: p.bytes }));
    const a = await postMultipart(sb.url, LEAVE, params, files);
    expect(a.body.code).toBe('200');
    expect(
      sb
        .state()
        .accepted.leave[0]?.files.map((f) => [f.field, f.size, f.md5])
        .sort(),
    ).toEqual(parts.map((p) => [`${p.name}_file`, p.bytes.length, md5(p.bytes)]).sort());
  });

  it('an unknown file part → 400 naming it', async () => {
    const a = await postMultipart(sb.url, LEAVE, withSign(leaveParams(PARK, 'SER-U'), SECRET), [
      { field: 'idcard_image_file', filename: 'x.jpg', bytes: IMAGE },
    ]);
    expect(a.status).toBe(400);
    expect(a.body.hint).toBe('参数`idcard_image_file`格式错误');
  });

  it('an image field sent as a plain text part (no filename) → 400 naming it', async () => {
    const params = withSign([...leaveParams(PARK, 'SER-T'), ['leave_image_hash', md5('abc')]], SECRET);
    const a = await postMultipart(sb.url, LEAVE, [...params, ['leave_image_file', 'abc']]);
    expect(a.status).toBe(400);
    expect(a.body.hint).toBe('参数`leave_image_file`格式错误');
  });

  it('a hash without its file part is accepted (the vendor example signs a hash and sends a URL)', async () => {
    const params = withSign(
      [...leaveParams(PARK, 'SER-HO'), ['leave_image_hash', md5('abc')], ['leave_image', 'https://x/y.jpg']],
      SECRET,
    );
    expect((await postMultipart(sb.url, LEAVE, params)).body.code).toBe('200');
    expect(sb.state().accepted.leave[0]?.files).toEqual([]);
  });

  it('a multi-megabyte file is streamed, hashed and stored with its size', async () => {
    const big = randomBytes(12 * 1024 * 1024);
    const hash = md5(big);
    const params = withSign([...leaveParams(PARK, 'SER-BIG'), ['leave_image_hash', hash]], SECRET);
    const a = await postMultipart(sb.url, LEAVE, params, [
      { field: 'leave_image_file', filename: 'big.jpg', bytes: big },
    ]);
    expect(a.body.code).toBe('200');
    expect(sb.state().accepted.leave[0]?.files[0]).toEqual({
      field: 'leave_image_file',
      filename: 'big.jpg',
      size: big.length,
      md5: hash,
    });
  });

  it('repeat parking_serial → 200 OK, recorded; same file = same content, another file = different', async () => {
    const img2 = randomBytes(2048);
    const send = (bytes: Uint8Array) =>
      postMultipart(
        sb.url,
        LEAVE,
        withSign([...leaveParams(PARK, 'SER-REP'), ['leave_image_hash', md5(bytes)]], SECRET),
        [{ field: 'leave_image_file', filename: 'x.jpg', bytes }],
      );
    expect((await send(IMAGE)).body.code).toBe('200');
    const again = await send(IMAGE);
    expect(again.body).toMatchObject({ code: '200', message: 'OK' });
    expect(again.body.hint).toBeUndefined();
    const other = await send(img2);
    expect(other.body).toMatchObject({ code: '200', message: 'OK' });
    const st = sb.state();
    expect(st.accepted.leave).toHaveLength(1);
    expect(st.accepted.leave[0]?.files[0]?.md5).toBe(md5(IMAGE));
    expect(st.repeats.map((r) => [r.endpoint, r.key, r.sameContent])).toEqual([
      ['leave', 'SER-REP', true],
      ['leave', 'SER-REP', false],
    ]);
  });

  it('encoding=URL on leave: payment_list encoded, signed encoded, stored decoded', async () => {
    const list = '[{"pay_type":"1","value":500,"operator":"张三"}]';
    const raw: Params = [
      ...replace(leaveParams(PARK, 'SER-ENC'), 'car_desc', '%E4%B8%AD%E6%96%87ABC'),
      ['payment_list', encodeURIComponent(list)],
      ['encoding', 'URL'],
    ];
    const a = await postMultipart(sb.url, LEAVE, withSign(raw, SECRET));
    expect(a.body).toMatchObject({ code: '200', message: 'OK' });
    const fields = sb.state().accepted.leave[0]?.fields;
    expect(fields?.car_desc).toBe('中文ABC');
    expect(fields?.payment_list).toBe(list);
  });
});
