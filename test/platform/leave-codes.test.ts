/** Leave: the vendor's leave sample says "该接口返回code取值200、1001、1000均表示上传成功". */
import { describe, expect, it } from 'vitest';
import { classifyAnswer } from '../../electron/platform/classify.ts';

const answer = (code: string, hint: string | null = null) => ({ code, message: 'OK', hint, seqno: 's1' });

describe('leave success codes', () => {
  it.each(['200', '1001', '1000'])('%s is accepted', (code) => {
    expect(classifyAnswer('leave', 200, answer(code))).toBe('accepted');
  });
  it('1001 with a hint is ignored, as 200 with a hint is', () => {
    expect(classifyAnswer('leave', 200, answer('1001', '签名验证不通过[…]'))).toBe('ignored');
  });
  it('vip-recharge still takes only 1001', () => {
    expect(classifyAnswer('vip-recharge', 200, answer('200'))).not.toBe('accepted');
  });
});
