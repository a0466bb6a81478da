/**
 * The fields of each endpoint as an installer reads them (`npm run -s cli -- fields`): name, Chinese label,
 * required or not, format. The labels are the one table kept by hand, here beside the schemas; everything
 * else is read off the schemas themselves (their shapes, and how each field answers sample values), so the
 * list cannot drift from what the console checks: a field added to a schema without a label fails the types
 * here and the test beside them, and a field whose format cannot be read is `unknown`, which the test refuses.
 */
import type { z } from 'zod';
import { ENDPOINTS, type Endpoint } from '../platform/endpoints.ts';
import * as enums from './enums.ts';
import type { EnumOption } from './enums.ts';
import { FILE_FIELDS, leaveRecordSchema, type paymentSchema } from './leave.ts';
import { formatUtc, RENEWAL_LATEST_INSTANT } from './time.ts';
import { updateRecordSchema } from './update.ts';
import { vipBatchSchema, type vipRowSchema } from './vip-recharge.ts';

type Keys<S extends z.ZodType> = keyof z.input<S> & string;

/** 推送异常放行记录: every field of updateRecordSchema. */
const UPDATE_LABELS = {
  flow_no: '变更流水号',
  parking_serial: '停车流水号 (本地系统这次停车的记录号)',
  plate: '车牌号码',
  plate_color: '车牌颜色',
  car_type: '车类',
  car_desc: '车类描述',
  enter_time: '入场时间',
  leave_time: '离场时间',
  operate_time: '操作时间 (放行时间)',
  operator: '操作员',
  reason: '放行原因',
} as const satisfies Record<Keys<typeof updateRecordSchema>, string>;

/** 推送车辆离场: every field of leaveRecordSchema and of each payment in payment_list. */
const LEAVE_LABELS = {
  parking_serial: '停车流水号 (一般为入场记录 ID)',
  api_type: '接口类型',
  plate: '车牌号码',
  plate_color: '车牌颜色',
  plate_type: '车牌类型',
  enter_time: '入场时间',
  enter_image: '入场图片地址',
  enter_image_file: '入场图片文件',
  enter_image_hash: '入场图片文件 MD5',
  enter_plate_image: '入场车牌图片地址',
  enter_plate_image_file: '入场车牌图片文件',
  enter_plate_image_hash: '入场车牌图片文件 MD5',
  enter_gate: '入口名称',
  enter_security: '入口保安',
  car_type: '车类',
  car_desc: '车类描述',
  card_no: '逻辑卡号',
  card_id: '物理卡号',
  car_color: '车辆颜色',
  vehicle_type: '车型',
  charge_type: '车辆计费标准',
  leave_time: '离场时间',
  leave_image: '离场图片地址',
  leave_image_file: '离场图片文件',
  leave_image_hash: '离场图片文件 MD5',
  leave_plate_image: '离场车牌图片地址',
  leave_plate_image_file: '离场车牌图片文件',
  leave_plate_image_hash: '离场车牌图片文件 MD5',
  leave_gate: '出口名称',
  leave_security: '出口保安',
  total_value: '停车总费用',
  free_value: '优惠总额',
  online_value: '在线支付总额',
  balance_value: '储值车扣费总额',
  cash_value: '现金支付总额',
  prepaid_value: '先出后扣金额',
  idcard_name: '通行证件姓名',
  idcard_no: '通行证件号码',
  idcard_image: '通行证件图片地址',
  enter_release_reason: '入场人工放行原因',
  leave_release_reason: '离场人工放行原因',
  total_parking_space: '车场总车位数',
  remain_parking_space: '剩余可用车位数 (total_parking_space 大于 0 时生效)',
  payment_list: '付款记录',
  'payment_list[].pay_origin_desc': '到账说明 (如 微信)',
  'payment_list[].pay_type': '支付类型',
  'payment_list[].operator': '收费员',
  'payment_list[].pay_time': '付款时间',
  'payment_list[].value': '实收金额 (不含优惠)',
  'payment_list[].free_value': '优惠金额',
  'payment_list[].parking_order': '车场订单号',
  'payment_list[].change_value': '找零金额 (收现金总额 - 实收, 仅现金)',
} as const satisfies Record<Keys<typeof leaveRecordSchema> | `payment_list[].${Keys<typeof paymentSchema>}`, string>;

/** 推送同步固定车续费记录: the batch's fields and every field of a row. */
const VIP_LABELS = {
  complete: '全量数据标记 (1: 先删除平台已有的全部固定车; 0: 只新增)',
  row: '续费记录',
  'row[].plate': '车牌号码',
  'row[].plate_color': '车牌颜色',
  'row[].card_no': '逻辑卡号',
  'row[].card_id': '物理卡号',
  'row[].charge_type': '固定车收费类型 (一般是收费规则 ID)',
  'row[].vip_type': '固定车类型',
  'row[].quantity': '续费单位数量 (几个月、几季、几年…)',
  'row[].pay_partner': '车场订单号',
  'row[].pay_type': '支付类型',
  'row[].value': '支付面额 (储值卡为金额, 次卡为次数, 时间卡为天数)',
  'row[].pay_time': '支付时间',
  'row[].renewal_start_time': '续费开始时间 (车场当地那天 0 点)',
  'row[].renewal_end_time': '续费结束时间 (车场当地那天 23:59:59)',
  'row[].pay_value': '支付金额',
  'row[].operator': '操作员',
} as const satisfies Record<Keys<typeof vipBatchSchema> | `row[].${Keys<typeof vipRowSchema>}`, string>;

/** The Chinese label of every field of each endpoint; nested fields as `list[].field`. */
export const FIELD_LABELS: Record<Endpoint, Readonly<Record<string, string>>> = {
  update: UPDATE_LABELS,
  leave: LEAVE_LABELS,
  'vip-recharge': VIP_LABELS,
};

const SCHEMAS: Record<Endpoint, z.ZodType> = {
  update: updateRecordSchema,
  leave: leaveRecordSchema,
  'vip-recharge': vipBatchSchema,
};

export type FieldKind =
  | 'text'
  | 'key'
  | 'file'
  | 'plate'
  | 'enum'
  | 'utc-time'
  | 'epoch-ms'
  | 'fen-text'
  | 'fen-number'
  | 'integer'
  | 'md5'
  | 'list'
  | 'unknown';

export interface FieldValue {
  value: string;
  label?: string;
}

export interface FieldDoc {
  /** The platform's parameter name; a field of each element of a list as `payment_list[].pay_type`. */
  field: string;
  label: string;
  required: boolean;
  kind: FieldKind;
  /** The format in one Chinese line. */
  format: string;
  /** Text: at most this many characters. */
  maxLength?: number;
  /** Enumerations: the values taken, with the vendor's labels. */
  values?: FieldValue[];
  /** Integers and lists: the bounds (a list's number of elements). */
  min?: number;
  max?: number;
  /** The endpoint's idempotency key (the platform keeps the first record of a key). */
  key?: true;
}

// --- Reading a schema ------------------------------------------------------------------------------------------

interface Def {
  type: string;
  in?: Node;
  out?: Node;
  innerType?: Node;
  element?: Node;
  options?: Node[];
  values?: unknown[];
  shape?: Record<string, Node>;
  checks?: { _zod: { def: { check: string } } }[];
}
interface Node {
  _zod: { def: Def };
  safeParse(value: unknown): { success: boolean; error?: { issues: { path: PropertyKey[] }[] } };
  minValue?: number | null;
  maxValue?: number | null;
}

const node = (s: z.ZodType) => s as unknown as Node;

/** The schema and every schema it is built of through pipes (preprocess, transform), optional and the like. */
function* chain(s: Node): Generator<Node> {
  yield s;
  const d = s._zod.def;
  for (const inner of [d.in, d.out, d.innerType]) if (inner) yield* chain(inner);
}

const accepts = (s: Node, value: unknown) => s.safeParse(value).success;

/** The largest n in [lo, hi] for which ok(n) holds, ok being true up to some n and false after; lo - 1 if none. */
function largest(lo: number, hi: number, ok: (n: number) => boolean): number {
  if (!ok(lo)) return lo - 1;
  let good = lo;
  let bad = hi + 1;
  while (bad - good > 1) {
    const mid = Math.floor((good + bad) / 2);
    if (ok(mid)) good = mid;
    else bad = mid;
  }
  return good;
}

/** Every enumeration of enums.ts, found by its shape, so that one added there is known here. */
const ENUM_LISTS = (Object.values(enums) as unknown[]).filter(
  (v): v is readonly EnumOption[] =>
    Array.isArray(v) &&
    v.length > 0 &&
    v.every((o: { value?: unknown; label?: unknown }) => typeof o?.value === 'string' && typeof o.label === 'string'),
);
/** Every value any of the vendor's enumerations has, and a few more: what an enumeration field is asked. */
const ENUM_CANDIDATES = [...new Set([...ENUM_LISTS.flatMap((l) => l.map((o) => o.value)), '0', '1', '9', '10'])];

function enumValues(accepted: string[]): FieldValue[] {
  const same = ENUM_LISTS.find((l) => l.length === accepted.length && l.every((o) => accepted.includes(o.value)));
  return same ? same.map((o) => ({ value: o.value, label: o.label })) : accepted.map((value) => ({ value }));
}

const valuesText = (values: FieldValue[]) =>
  values.map((v) => (v.label ? `${v.value} ${v.label}` : v.value)).join(', ');

type Shape = Omit<FieldDoc, 'field' | 'label' | 'required' | 'key'>;

const MD5_SAMPLE = 'D41D8CD98F00B204E9800998ECF8427E';
const HOUR = 3_600_000;

/** What a string field takes, found by asking it sample values. */
function stringShape(s: Node, field: string): Shape {
  const now = Date.now();
  if (accepts(s, 'x')) {
    const maxLength = largest(1, 100_000, (n) => accepts(s, 'x'.repeat(n)));
    const upTo = maxLength < 100_000 ? `, 最多 ${maxLength} 个字符` : '';
    if ((FILE_FIELDS as readonly string[]).includes(field))
      return {
        kind: 'file',
        format: `本机图片文件的路径 (相对于记录文件所在的文件夹)${upTo}; 发送时算出其 MD5 作为 ${field.replace(/_file$/, '_hash')}`,
        maxLength,
      };
    if (!accepts(s, 123))
      return {
        kind: 'key',
        format: `编号文本${upTo}; 须为文本 (JSON 中加引号, 不能写成数字)`,
        maxLength,
      };
    return { kind: 'text', format: `文本${upTo}`, maxLength };
  }
  if (accepts(s, '粤B12345')) {
    const parts = ['车牌号码, 如 粤B12345 或新能源 粤BD12345'];
    parts.push(accepts(s, '无牌车') ? '无车牌时写 无牌车' : '须为真实车牌 (不能为 无牌车)');
    if (accepts(s, 'AB1234')) parts.push('plate_type 为 1 或 2 时: 汉字、字母和数字 2 到 10 位');
    return { kind: 'plate', format: parts.join('; ') };
  }
  if (accepts(s, formatUtc(now - HOUR))) {
    const latest = accepts(s, formatUtc(RENEWAL_LATEST_INSTANT - 1000)) ? '最晚到 2099 年底' : '最多比现在晚 1 天';
    return {
      kind: 'utc-time',
      format: `UTC 时间 yyyy-MM-dd'T'HH:mm:ss'Z' (可带毫秒; 北京时间减 8 小时), 如 2022-09-01T00:00:00Z; 2000 年起, ${latest}`,
    };
  }
  if (accepts(s, String(now - HOUR)) && !accepts(s, '1'))
    return {
      kind: 'epoch-ms',
      format: '毫秒时间戳 (13 位数字, 文本或数字), 如 1552976318722; 2000 年起, 最多比现在晚 1 天',
    };
  if (accepts(s, MD5_SAMPLE) && !accepts(s, 'G'.repeat(32))) return { kind: 'md5', format: '32 位十六进制 MD5' };
  if (accepts(s, '100') && !accepts(s, '1.5') && !accepts(s, '-1')) {
    const digits = largest(1, 40, (n) => accepts(s, '9'.repeat(n)));
    if (digits >= 10)
      return {
        kind: 'fen-text',
        format: `非负整数 (金额以分计), 最多 ${digits} 位数字, 文本或数字, 如 "1000" 表示 10 元`,
        max: 10 ** digits - 1,
      };
  }
  const accepted = ENUM_CANDIDATES.filter((v) => accepts(s, v));
  if (accepted.length > 0) {
    const values = enumValues(accepted);
    return { kind: 'enum', format: `枚举: ${valuesText(values)}`, values };
  }
  return { kind: 'unknown', format: '(无法从结构读出格式)' };
}

/** What one field takes: its schema's shape first (lists, literals, numbers), then sample values. */
function shapeOf(s: Node, field: string): Shape {
  const parts = [...chain(s)];
  const list = parts.find((p) => p._zod.def.type === 'array');
  if (list) {
    // The bounds of a list, by asking it lists of empty elements: only a wrong count is a problem of the list itself.
    const countOk = (n: number) =>
      !(s.safeParse(Array.from({ length: n }, () => ({}))).error?.issues ?? []).some((i) => i.path.length === 0);
    const min = countOk(0) ? 0 : largest(0, 10, (n) => !countOk(n)) + 1;
    const max = largest(min, 10_000, countOk);
    const asText = accepts(s, '[]') ? ' (或这个数组的 JSON 文本)' : '';
    const bounds = max < 10_000 ? `, ${min > 0 ? `${min} 到 ` : '最多 '}${max} 条` : '';
    return { kind: 'list', format: `数组${asText}${bounds}; 每条的字段见下`, min, ...(max < 10_000 ? { max } : {}) };
  }
  const union = parts.find((p) => p._zod.def.type === 'union');
  if (union?._zod.def.options?.every((o) => o._zod.def.type === 'literal')) {
    const values = union._zod.def.options.flatMap((o) => o._zod.def.values ?? []).map((v) => ({ value: String(v) }));
    return { kind: 'enum', format: `枚举: ${valuesText(values)}`, values };
  }
  const num = parts.find((p) => p._zod.def.type === 'number');
  if (num) {
    const isInt = num._zod.def.checks?.some((c) => c._zod.def.check === 'number_format') ?? false;
    if (isInt) {
      const min = num.minValue ?? undefined;
      const max = num.maxValue ?? undefined;
      const bounds = min !== undefined && max !== undefined ? `, ${min} 到 ${max}` : '';
      return { kind: 'integer', format: `整数 (数字或数字文本)${bounds}`, min, max };
    }
    return { kind: 'fen-number', format: '非负整数金额 (分), JSON 数字或数字文本, 如 500 表示 5 元' };
  }
  return stringShape(s, field);
}

function objectShape(s: Node): Record<string, Node> {
  const obj = [...chain(s)].find((p) => p._zod.def.type === 'object');
  if (!obj?._zod.def.shape) throw new Error('not an object schema');
  return obj._zod.def.shape;
}

function describeObject(shape: Record<string, Node>, prefix: string, labels: Record<string, string>): FieldDoc[] {
  const out: FieldDoc[] = [];
  for (const [name, s] of Object.entries(shape)) {
    const field = `${prefix}${name}`;
    const doc: FieldDoc = {
      field,
      label: labels[field] ?? '',
      required: !accepts(s, undefined),
      ...shapeOf(s, name),
    };
    out.push(doc);
    if (doc.kind === 'list') {
      const element = [...chain(s)].find((p) => p._zod.def.type === 'array')!._zod.def.element!;
      out.push(...describeObject(objectShape(element), `${field}[].`, labels));
    }
  }
  return out;
}

/** Every field of an endpoint, in the schema's order, nested lists' fields after the list. */
export function describeFields(endpoint: Endpoint): FieldDoc[] {
  const keyField = ENDPOINTS[endpoint].keyField;
  return describeObject(objectShape(node(SCHEMAS[endpoint])), '', FIELD_LABELS[endpoint]).map((d) =>
    d.field === keyField || d.field.endsWith(`[].${keyField}`) ? { ...d, key: true } : d,
  );
}
