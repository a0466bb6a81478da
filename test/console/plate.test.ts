import { describe, expect, it } from 'vitest';
import { checkPlate, normalizePlate, NO_PLATE, PROVINCES } from '../../shared/records/plate.ts';

const ok = (s: string) => checkPlate(s);

describe('Chinese plates', () => {
  it('takes ordinary 7-character plates, with their use marks', () => {
    for (const p of ['粤B12345', '京A8888A', '沪C1234学', '粤Z1234港', '粤Z1234澳', '苏E1234挂', '川A1234警']) {
      expect(ok(p)).toEqual({ ok: true, plate: p, kind: 'ordinary' });
    }
  });

  it('takes new-energy 8-character plates, small and large', () => {
    for (const p of ['粤BD12345', '粤BFA1234', '京AD00001', '粤B12345D', '浙A12345F']) {
      expect(ok(p)).toMatchObject({ ok: true, kind: 'new-energy' });
    }
  });

  it('normalises case, spaces, dots and full-width letters', () => {
    expect(normalizePlate(' 粤b·123 45 ')).toBe('粤B12345');
    expect(ok('粤ｂ１２３４５')).toEqual({ ok: true, plate: '粤B12345', kind: 'ordinary' });
  });

  it('allows 无牌车', () => {
    expect(ok(NO_PLATE)).toEqual({ ok: true, plate: '无牌车', kind: 'none' });
  });

  it('has the 31 provinces, each searchable by pinyin', () => {
    expect(PROVINCES).toHaveLength(31);
    expect(new Set(PROVINCES.map((p) => p.char)).size).toBe(31);
    expect(PROVINCES.every((p) => /^[a-z]+$/.test(p.pinyin))).toBe(true);
  });

  it('says in Chinese what is wrong', () => {
    const msg = (s: string) => {
      const r = checkPlate(s);
      if (r.ok) throw new Error(`${s} should be refused`);
      return r.message;
    };
    expect(msg('')).toBe('请输入车牌号码');
    expect(msg('B12345')).toContain('省份简称');
    expect(msg('港B12345')).toContain('省份简称');
    expect(msg('粤B1234')).toContain('长度');
    expect(msg('粤B123456789')).toContain('长度');
    expect(msg('粤B1234O')).toContain('I 和 O');
    expect(msg('粤1123456')).toContain('第 2 位');
    expect(msg('粤BX12345')).toContain('新能源');
  });
});
