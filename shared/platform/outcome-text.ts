/**
 * An outcome of a push, or the raw error of a failed one, in plain Chinese for the people at the booth: what went
 * wrong, and what happens next. The raw text (`CODE: message` from electron/platform/client.ts networkError) is for
 * support and stays in the log's detail drawer; it is never shown by these sentences.
 */
import type { OutcomeKind } from './outcome.ts';

export interface OutcomeText {
  /** One sentence: what went wrong, in words a guard knows. */
  title: string;
  /** What happens next, or who does what. */
  next: string;
  /** error: someone has to act; warning: it sorts itself out. */
  severity: 'error' | 'warning';
}

/** The parts of an outcome (or of a record's last attempt) the sentence is made from. */
export interface OutcomeParts {
  outcome: OutcomeKind | null;
  code?: string | null;
  message?: string | null;
  hint?: string | null;
  error?: string | null;
  httpStatus?: number | null;
}

const RETRY_NEXT = '记录已保存, 会自动重试。';

/** The platform's field names (as its hints name them) in the words of the form. */
export const PLATFORM_FIELD_WORDS: Record<string, string> = {
  plate: '车牌号码',
  plate_color: '车牌颜色',
  car_type: '车辆类型',
  car_desc: '车辆描述',
  parking_serial: '停车流水号',
  flow_no: '记录编号',
  enter_time: '入场时间',
  leave_time: '出场时间',
  operate_time: '操作时间',
  operator: '值班人',
  reason: '放行原因',
  park_uuid: '车场编号',
  app_id: '应用编号',
  api_type: '接口类型',
  sign: '签名',
  pay_partner: '付款流水号',
  payment_list: '付款明细',
};

interface NetworkRule {
  test: RegExp;
  title: string;
}

/** Checked in order against `CODE: message` (the first that matches wins). */
const NETWORK_RULES: NetworkRule[] = [
  {
    test: /proxy|\b407\b/i,
    title: '无法经代理服务器连接 P云 (代理设置有误或代理不通)。',
  },
  {
    test: /CERT|SSL|TLS|EPROTO|UNABLE_TO_VERIFY|SELF_SIGNED|certificate|handshake/i,
    title: '无法与 P云 建立安全连接 (证书有误, 或本机日期时间不对)。',
  },
  { test: /ENOTFOUND|EAI_AGAIN|getaddrinfo/i, title: '无法连接 P云 (网络不通或地址有误)。' },
  { test: /ECONNREFUSED/i, title: '无法连接 P云 (对方拒绝连接: 地址或端口有误, 或平台未开启)。' },
  {
    test: /TIMEOUT|ETIMEDOUT|ECONNABORTED|ESOCKETTIMEDOUT|timed? ?out/i,
    title: 'P云 长时间没有答复 (网络慢或平台繁忙)。',
  },
  {
    test: /ECONNRESET|EPIPE|socket hang up|aborted|ERR_STREAM_PREMATURE_CLOSE/i,
    title: '与 P云 的连接中途断开 (网络不稳定)。',
  },
  {
    test: /ENETUNREACH|EHOSTUNREACH|ENETDOWN|EHOSTDOWN|ERR_NETWORK|EADDRNOTAVAIL/i,
    title: '无法连接 P云 (本机网络不通)。',
  },
  { test: /JSON|Unexpected token|parse|unreadable|garbage|ERR_BAD_RESPONSE/i, title: 'P云 的答复无法识别。' },
];

/** The words for the first platform field a hint or message names, or null. */
export function fieldNamed(text: string | null | undefined): string | null {
  if (!text) return null;
  let best: { at: number; words: string } | null = null;
  for (const [name, words] of Object.entries(PLATFORM_FIELD_WORDS)) {
    const m = new RegExp(`(^|[^a-z_])${name}($|[^a-z_])`, 'i').exec(text);
    if (m && (best === null || m.index < best.at)) best = { at: m.index, words };
  }
  return best?.words ?? null;
}

/** A raw network error (`CODE: message`) in plain Chinese; never repeats the raw text. */
export function networkErrorText(raw: string): OutcomeText {
  const rule = NETWORK_RULES.find((r) => r.test.test(raw));
  return {
    title: rule?.title ?? '无法连接 P云 (网络出错)。',
    next: RETRY_NEXT,
    severity: 'warning',
  };
}

/** Only Chinese text from the platform is worth showing to a guard (no codes, URLs or English errors). */
function plainPart(text: string | null | undefined): string | null {
  if (!text) return null;
  if (!/[\u4e00-\u9fff]/.test(text)) return null;
  if (/https?:\/\/|Error:|[A-Z]{4,}:/.test(text)) return null;
  let t = text.trim();
  for (const [name, words] of Object.entries(PLATFORM_FIELD_WORDS))
    t = t.replace(new RegExp(`(^|[^a-z_])${name}(?=$|[^a-z_])`, 'gi'), `$1${words}`);
  return t.length > 60 ? `${t.slice(0, 60)}…` : t;
}

/** An outcome (or a record's last attempt) in plain Chinese with what happens next. */
export function outcomeText(o: OutcomeParts): OutcomeText {
  switch (o.outcome) {
    case 'accepted':
      return { title: 'P云 已接收。', next: '', severity: 'warning' };
    case 'ignored': {
      const said = plainPart(o.hint) ?? plainPart(o.message);
      return {
        title: `P云 接收了, 但有提示${said ? `: ${said}` : ''}。`,
        next: '请管理员在「推送日志」查看。',
        severity: 'warning',
      };
    }
    case 'rejected': {
      const field = fieldNamed(o.hint) ?? fieldNamed(o.message);
      const said = plainPart(o.hint) ?? plainPart(o.message);
      const title = field
        ? `P云 退回了这条记录: ${field}不对${said ? ` (平台说: ${said})` : ''}。`
        : `P云 退回了这条记录${said ? ` (平台说: ${said})` : ''}。`;
      return {
        title,
        next: `记录已保存, 不会自动重传; 请管理员在「上传队列」的「需处理」中修改${field ?? ''}后重传, 或作废。`,
        severity: 'error',
      };
    }
    case 'auth':
      return {
        title: 'P云 拒绝了本机的密钥或签名。',
        next: '记录已保存, 暂停上传; 管理员在「设置」核对车场编号与密钥后自动恢复。',
        severity: 'error',
      };
    case 'retry':
    case null: {
      if (o.error) return networkErrorText(o.error);
      const status = o.httpStatus ?? (o.code && /^\d{3}$/.test(o.code) ? Number(o.code) : null);
      if (status !== null && status >= 500)
        return { title: 'P云 暂时出错 (平台繁忙)。', next: RETRY_NEXT, severity: 'warning' };
      return { title: '这次没有上传成功。', next: RETRY_NEXT, severity: 'warning' };
    }
  }
}

/** One line: the title and what happens next. */
export function outcomeSentence(o: OutcomeParts): string {
  const t = outcomeText(o);
  return t.next ? `${t.title}${t.next}` : t.title;
}
