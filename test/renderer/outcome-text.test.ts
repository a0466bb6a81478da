import { describe, expect, it } from 'vitest';
import { fieldNamed, networkErrorText, outcomeSentence, outcomeText } from '../../shared/platform/outcome-text.ts';

const RAW = /ENOTFOUND|getaddrinfo|ECONNREFUSED|ECONNRESET|ETIMEDOUT|TIMEOUT|Error:|https?:\/\/|\d+\.\d+\.\d+\.\d+/;

describe('outcome in plain Chinese', () => {
  it('says the issue’s sentence for a name that does not resolve', () => {
    const raw = 'ENOTFOUND: getaddrinfo ENOTFOUND dev-api.4pyun.com';
    expect(outcomeSentence({ outcome: 'retry', error: raw })).toBe(
      '无法连接 P云 (网络不通或地址有误)。记录已保存, 会自动重试。',
    );
  });

  it.each([
    ['ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9', '对方拒绝连接'],
    ['TIMEOUT: timeout of 15000ms exceeded', '长时间没有答复'],
    ['ETIMEDOUT: connect ETIMEDOUT 10.0.0.1:443', '长时间没有答复'],
    ['ECONNRESET: socket hang up', '中途断开'],
    ['ERR_NETWORK: Network Error', '本机网络不通'],
    ['EAI_AGAIN: getaddrinfo EAI_AGAIN api.4pyun.com', '网络不通或地址有误'],
    ['CERT_HAS_EXPIRED: certificate has expired', '安全连接'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate', '安全连接'],
    ['EPROTO: write EPROTO 0A00010B:SSL routines:ssl3_get_record:wrong version number', '安全连接'],
    ['ERR_BAD_RESPONSE: Request failed with status code 407 Proxy Authentication Required', '代理服务器'],
    ['ECONNREFUSED: Proxy connection refused', '代理服务器'],
    ['something nobody expected', '网络出错'],
  ])('%s → %s, what happens next, no raw text', (raw, words) => {
    const t = networkErrorText(raw);
    expect(t.title).toContain(words);
    expect(t.next).toBe('记录已保存, 会自动重试。');
    expect(`${t.title}${t.next}`).not.toMatch(RAW);
  });

  it('a 400 names the field and says a manager edits it on the queue', () => {
    const t = outcomeText({
      outcome: 'rejected',
      code: '400',
      message: '参数错误',
      hint: '参数 parking_serial 格式不正确',
    });
    expect(t.title).toContain('停车流水号不对');
    expect(t.title).not.toContain('parking_serial');
    expect(t.next).toContain('管理员');
    expect(t.next).toContain('上传队列');
    expect(t.severity).toBe('error');
  });

  it('a 400 without a field still says what to do', () => {
    const t = outcomeText({ outcome: 'rejected', code: '400', message: null, hint: null });
    expect(t.title).toBe('P云 退回了这条记录。');
    expect(t.next).toContain('上传队列');
  });

  it('auth, 5xx and ignored in words', () => {
    expect(outcomeText({ outcome: 'auth', code: '401' }).next).toContain('设置');
    expect(outcomeSentence({ outcome: 'retry', code: '503', httpStatus: 503 })).toBe(
      'P云 暂时出错 (平台繁忙)。记录已保存, 会自动重试。',
    );
    expect(outcomeText({ outcome: 'ignored', hint: 'Error: bad at https://x' }).title).toBe('P云 接收了, 但有提示。');
  });

  it('finds the first field a hint names, not a longer name’s part', () => {
    expect(fieldNamed('enter_time 晚于 leave_time')).toBe('入场时间');
    expect(fieldNamed('plate_color 不对')).toBe('车牌颜色');
    expect(fieldNamed('没有字段')).toBeNull();
  });
});
