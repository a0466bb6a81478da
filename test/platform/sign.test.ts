import { describe, expect, it } from 'vitest';
import { paymentSchema, serialisePaymentList } from '../../shared/records/leave.ts';
import { formPlainText, md5Upper, redactSecret, signForm, signJson } from '../../electron/platform/sign.ts';
import { javaUrlEncode } from '../../electron/platform/url-encoding.ts';
import {
  ENTER_PARAMS,
  ENTER_PLAIN,
  ENTER_SIGN,
  LEAVE_PARAMS,
  LEAVE_PAYMENT_LIST,
  LEAVE_PLAIN,
  LEAVE_SIGN,
  VENDOR_SECRET,
} from '../fixtures/vendor-vectors.ts';

describe('form signing: the vendor vectors', () => {
  it('signs the leave example to 142FA4A7…', () => {
    expect(formPlainText(LEAVE_PARAMS)).toBe(LEAVE_PLAIN);
    const signed = signForm(LEAVE_PARAMS, VENDOR_SECRET);
    expect(signed.signature).toBe(LEAVE_SIGN);
    expect(signed.plainMasked).toBe(`${LEAVE_PLAIN}&app_secret=***`);
  });

  it('signs the enter example to F58EDB51…', () => {
    expect(formPlainText(ENTER_PARAMS)).toBe(ENTER_PLAIN);
    expect(signForm(ENTER_PARAMS, VENDOR_SECRET).signature).toBe(ENTER_SIGN);
  });

  it('serialises a structured payment list to the exact text the vendor signed', () => {
    const payments = JSON.parse(LEAVE_PAYMENT_LIST).map((p: unknown) => paymentSchema.parse(p));
    expect(serialisePaymentList(payments)).toBe(LEAVE_PAYMENT_LIST);
  });

  it('drops empty values and sign, sorts keys in ASCII order', () => {
    const plain = formPlainText({ b: '2', a: '1', sign: 'X', empty: '', none: undefined, B: '0', a_b: '3' });
    expect(plain).toBe('B=0&a=1&a_b=3&b=2');
  });

  it('never lets the secret into the kept text', () => {
    const signed = signForm({ plate: '粤B12345' }, 'TOP-SECRET-42');
    expect(signed.plainMasked).not.toContain('TOP-SECRET-42');
    expect(signed.signature).toBe(md5Upper('plate=粤B12345&app_secret=TOP-SECRET-42'));
    expect(redactSecret('x TOP-SECRET-42 y', 'TOP-SECRET-42')).toBe('x *** y');
  });
});

describe('JSON signing (vip/recharge)', () => {
  it('is MD5 of the exact body bytes + &app_secret=', () => {
    const body = '{"park_uuid":"P","row":[{"plate":"粤X33333"}]}';
    const s = signJson(body, '12323232323');
    expect(s.signature).toBe(md5Upper(`${body}&app_secret=12323232323`));
    expect(s.signature).toMatch(/^[0-9A-F]{32}$/);
    expect(s.plainMasked).toBe(`${body}&app_secret=***`);
  });
});

describe('encoding=URL', () => {
  it('encodes like java.net.URLEncoder (UTF-8)', () => {
    expect(javaUrlEncode('中文ABC')).toBe('%E4%B8%AD%E6%96%87ABC');
    expect(javaUrlEncode('a b+c&d=e')).toBe('a+b%2Bc%26d%3De');
    expect(javaUrlEncode("-_.*~!'()")).toBe('-_.*%7E%21%27%28%29');
    expect(javaUrlEncode('2022-09-01T00:00:00Z')).toBe('2022-09-01T00%3A00%3A00Z');
  });
});
