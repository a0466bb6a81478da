/**
 * The vendor's enumerations, with the Chinese labels the booth staff see.
 * Values are the strings the platform expects on the wire.
 */
export interface EnumOption<V extends string = string> {
  value: V;
  label: string;
}

function options<const T extends readonly EnumOption[]>(list: T): T {
  return list;
}

/** 车牌颜色 (update, leave, vip rows). */
export const PLATE_COLORS = options([
  { value: '1', label: '蓝色' },
  { value: '2', label: '黄色' },
  { value: '3', label: '白色' },
  { value: '4', label: '黑色' },
  { value: '5', label: '绿色' },
  { value: '-1', label: '未知' },
] as const);

/** 车类 (update, leave). */
export const CAR_TYPES = options([
  { value: '1', label: '临停车辆' },
  { value: '2', label: '月卡车辆' },
  { value: '3', label: '贵宾车辆(免费车)' },
  { value: '4', label: '储值车辆' },
  { value: '0', label: '其他未知' },
] as const);

/** 车牌类型 (leave). */
export const PLATE_TYPES = options([
  { value: '0', label: '中国大陆车牌' },
  { value: '1', label: '境外车牌(含港澳)' },
  { value: '2', label: '两轮电动车车牌' },
] as const);

/** 车辆颜色 (leave). */
export const CAR_COLORS = options([
  { value: '1', label: '蓝色' },
  { value: '2', label: '黄色' },
  { value: '3', label: '白色' },
  { value: '4', label: '黑色' },
  { value: '5', label: '绿色' },
  { value: '6', label: '银色' },
  { value: '7', label: '灰色' },
  { value: '8', label: '橙色' },
  { value: '-1', label: '未知' },
] as const);

/** 车型 (leave). */
export const VEHICLE_TYPES = options([
  { value: '1', label: '小车' },
  { value: '2', label: '大车' },
  { value: '3', label: '电动自行车/摩托车' },
  { value: '-1', label: '未知' },
] as const);

/** 固定车类型 (vip rows). */
export const VIP_TYPES = options([
  { value: '1', label: '月卡' },
  { value: '2', label: '储值' },
  { value: '3', label: '储次' },
  { value: '4', label: '储天' },
  { value: '5', label: '年卡' },
  { value: '6', label: '季度卡' },
  { value: '7', label: '半年卡' },
  { value: '0', label: '免费停车(白名单)' },
] as const);

/** 支付类型 of a leave payment. */
export const PAY_TYPES = options([
  { value: '1', label: '现金' },
  { value: '2', label: '在线支付' },
  { value: '3', label: '无感支付' },
  { value: '4', label: '储值卡余额支付' },
  // The docs repository's leave page (the page beside the spec stops earlier).
  { value: '8', label: '优惠券全额抵扣' },
] as const);

/** 支付类型 of a vip renewal. */
export const VIP_PAY_TYPES = options([
  { value: '1', label: '现金支付' },
  { value: '2', label: '在线支付' },
] as const);

export function valuesOf<T extends readonly EnumOption[]>(list: T): [T[number]['value'], ...T[number]['value'][]] {
  return list.map((o) => o.value) as [T[number]['value'], ...T[number]['value'][]];
}
