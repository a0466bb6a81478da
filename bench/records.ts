/** Realistic records and push-log rows for the benchmarks: many plates, some seen often (monthly cars), most rarely. */
import type { PushLogRow } from '../shared/contract/queue.ts';

export { mulberry32 } from '../electron/sandbox/faults.ts';

const PROVINCES = ['粤', '京', '沪', '浙', '苏', '湘', '川', '鄂'];
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

export function plates(count: number, random: () => number): string[] {
  const out = new Set<string>();
  while (out.size < count) {
    const p = PROVINCES[Math.floor(random() * PROVINCES.length)]!;
    const l = LETTERS[Math.floor(random() * LETTERS.length)]!;
    out.add(`${p}${l}${String(Math.floor(random() * 100000)).padStart(5, '0')}`);
  }
  return [...out];
}

/** A plate drawn with a skew: a few plates come back very often, most a handful of times. */
export function skewedPick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(list.length * random() ** 3)]!;
}

export function updateRecord(i: number, plate: string, key: string): Record<string, unknown> {
  const t = Date.UTC(2026, 10, 25, 0, 0, 0) + i * 1000;
  return {
    flow_no: key,
    parking_serial: `PS-${key}`,
    plate,
    plate_color: '1',
    car_type: '1',
    car_desc: '临停车',
    enter_time: new Date(t - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    leave_time: new Date(t).toISOString().replace(/\.\d+Z$/, 'Z'),
    operate_time: new Date(t).toISOString().replace(/\.\d+Z$/, 'Z'),
    operator: '张三',
    reason: '设备异常, 道闸无法识别车牌, 人工核对后放行',
  };
}

export function leaveRecord(i: number, plate: string, key: string): Record<string, unknown> {
  const leave = 1795564800000 + i * 1000;
  return {
    parking_serial: key,
    plate,
    plate_color: '1',
    enter_time: String(leave - 7_200_000),
    leave_time: String(leave),
    car_type: '1',
    car_desc: '临时车',
    charge_type: '1',
    enter_gate: '东门入口1',
    leave_gate: '东门出口2',
    total_value: '1500',
    cash_value: '500',
    online_value: '1000',
    payment_list: [
      {
        pay_origin_desc: '现金',
        pay_type: '1',
        operator: '张三',
        pay_time: String(leave - 60_000),
        value: 500,
        free_value: 0,
        parking_order: `PO-${key}-1`,
        change_value: 0,
      },
      {
        pay_origin_desc: '微信',
        pay_type: '2',
        operator: '张三',
        pay_time: String(leave - 30_000),
        value: 1000,
        free_value: 0,
        parking_order: `PO-${key}-2`,
        change_value: 0,
      },
    ],
  };
}

const OUTCOMES = [
  'accepted',
  'accepted',
  'accepted',
  'accepted',
  'accepted',
  'accepted',
  'retry',
  'retry',
  'rejected',
  'auth',
] as const;

/** One attempt of an update push as the worker logs it. */
export function logRow(i: number, plate: string, random: () => number): Omit<PushLogRow, 'id'> {
  const key = `ST01-F-20261125-${String(i).padStart(6, '0')}`;
  const outcome = OUTCOMES[Math.floor(random() * OUTCOMES.length)]!;
  const fields: Record<string, string> = {
    park_uuid: 'PARK-0001',
    ...(updateRecord(i, plate, key) as Record<string, string>),
    sign: 'A'.repeat(32),
  };
  const plain = Object.keys(fields)
    .filter((k) => k !== 'sign')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
  const ok = outcome === 'accepted';
  return {
    at: 1795564800000 + i * 5000,
    endpoint: 'update',
    recordId: i,
    recordKey: key,
    plate,
    attempt: 1 + Math.floor(random() * 3),
    fields,
    files: [],
    plainMasked: `${plain}&app_secret=***`,
    baseUrl: 'https://api.4pyun.com',
    httpStatus: outcome === 'retry' ? 503 : outcome === 'auth' ? 401 : outcome === 'rejected' ? 400 : 200,
    code: outcome === 'retry' ? '503' : outcome === 'auth' ? '401' : outcome === 'rejected' ? '400' : '1001',
    message: ok ? 'OK' : '服务暂不可用',
    hint: outcome === 'rejected' ? '参数[plate]格式错误' : null,
    seqno: Math.floor(random() * 2 ** 48).toString(16),
    latencyMs: 20 + Math.floor(random() * 300),
    outcome,
    error: null,
    diagnosis: null,
  };
}
