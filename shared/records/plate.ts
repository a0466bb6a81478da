/**
 * Chinese licence plates as a booth worker types them: a province prefix, a city letter and the
 * rest. Ordinary plates have 7 characters (粤B12345, 粤B1234学, 粤Z1234港), new-energy plates 8
 * (small: 粤BD12345, large: 粤B12345D). A car without a plate is recorded as the text 无牌车 (the
 * update endpoint's plate is free text). Messages are in Chinese and say what to fix.
 */
import { textProblem } from './text-rules.ts';

export interface Province {
  char: string;
  /** Pinyin, so that the picker can be searched from a keyboard without an input method. */
  pinyin: string;
  name: string;
}

export const PROVINCES: readonly Province[] = [
  { char: '京', pinyin: 'jing', name: '北京' },
  { char: '津', pinyin: 'jin', name: '天津' },
  { char: '冀', pinyin: 'ji', name: '河北' },
  { char: '晋', pinyin: 'jin', name: '山西' },
  { char: '蒙', pinyin: 'meng', name: '内蒙古' },
  { char: '辽', pinyin: 'liao', name: '辽宁' },
  { char: '吉', pinyin: 'ji', name: '吉林' },
  { char: '黑', pinyin: 'hei', name: '黑龙江' },
  { char: '沪', pinyin: 'hu', name: '上海' },
  { char: '苏', pinyin: 'su', name: '江苏' },
  { char: '浙', pinyin: 'zhe', name: '浙江' },
  { char: '皖', pinyin: 'wan', name: '安徽' },
  { char: '闽', pinyin: 'min', name: '福建' },
  { char: '赣', pinyin: 'gan', name: '江西' },
  { char: '鲁', pinyin: 'lu', name: '山东' },
  { char: '豫', pinyin: 'yu', name: '河南' },
  { char: '鄂', pinyin: 'e', name: '湖北' },
  { char: '湘', pinyin: 'xiang', name: '湖南' },
  { char: '粤', pinyin: 'yue', name: '广东' },
  { char: '桂', pinyin: 'gui', name: '广西' },
  { char: '琼', pinyin: 'qiong', name: '海南' },
  { char: '渝', pinyin: 'yu', name: '重庆' },
  { char: '川', pinyin: 'chuan', name: '四川' },
  { char: '贵', pinyin: 'gui', name: '贵州' },
  { char: '云', pinyin: 'yun', name: '云南' },
  { char: '藏', pinyin: 'zang', name: '西藏' },
  { char: '陕', pinyin: 'shan', name: '陕西' },
  { char: '甘', pinyin: 'gan', name: '甘肃' },
  { char: '青', pinyin: 'qing', name: '青海' },
  { char: '宁', pinyin: 'ning', name: '宁夏' },
  { char: '新', pinyin: 'xin', name: '新疆' },
];

export const NO_PLATE = '无牌车';

export type PlateKind = 'ordinary' | 'new-energy' | 'none';

export type PlateCheck = { ok: true; plate: string; kind: PlateKind } | { ok: false; message: string };

const PROVINCE_CHARS = PROVINCES.map((p) => p.char).join('');
/** The city letter: A–Z without I. */
const CITY = '[A-HJ-Z]';
/** Serial characters: digits and letters without I and O (they read as 1 and 0). */
const SERIAL = '[A-HJ-NP-Z0-9]';
/** Last character of an ordinary plate may mark its use. */
const ORDINARY_LAST = '[A-HJ-NP-Z0-9挂学警港澳领试超]';
/** New-energy letters: D/A/B/C/E pure electric, F/G/H/J/K others. */
const ENERGY = '[A-HJK]';

const ORDINARY = new RegExp(`^[${PROVINCE_CHARS}]${CITY}${SERIAL}{4}${ORDINARY_LAST}$`);
const ENERGY_SMALL = new RegExp(`^[${PROVINCE_CHARS}]${CITY}${ENERGY}${SERIAL}\\d{4}$`);
const ENERGY_LARGE = new RegExp(`^[${PROVINCE_CHARS}]${CITY}\\d{5}${ENERGY}$`);

/** Upper case, half-width, without spaces, dots and dashes (粤 b·123 45 → 粤B12345). */
export function normalizePlate(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s·•．.\-_]/g, '')
    .toUpperCase();
}

export function isProvince(char: string): boolean {
  return char.length === 1 && PROVINCE_CHARS.includes(char);
}

export function checkPlate(input: string): PlateCheck {
  const problem = textProblem(input);
  if (problem) return { ok: false, message: `车牌号码${problem}` };
  const plate = normalizePlate(input);
  if (plate === '') return { ok: false, message: '请输入车牌号码' };
  if (plate === NO_PLATE) return { ok: true, plate, kind: 'none' };
  const first = plate[0]!;
  if (!isProvince(first)) return { ok: false, message: '车牌号码须以省份简称开头, 例如 粤B12345' };
  if (plate.length === 7 && ORDINARY.test(plate)) return { ok: true, plate, kind: 'ordinary' };
  if (plate.length === 8 && (ENERGY_SMALL.test(plate) || ENERGY_LARGE.test(plate)))
    return { ok: true, plate, kind: 'new-energy' };
  if (plate.length !== 7 && plate.length !== 8) {
    return { ok: false, message: `车牌号码长度不对: 普通车牌 7 位, 新能源车牌 8 位 (现在 ${plate.length} 位)` };
  }
  if (!/^[A-HJ-Z]$/.test(plate[1] ?? ''))
    return { ok: false, message: '车牌号码第 2 位须为发牌机关字母 (A–Z, 不含 I)' };
  if (/[IO]/.test(plate.slice(2))) return { ok: false, message: '车牌号码中不用字母 I 和 O, 请检查是否为数字 1 和 0' };
  if (plate.length === 8) {
    return { ok: false, message: '新能源车牌格式不对: 小型如 粤BD12345 (第 3 位为 D/F 等), 大型如 粤B12345D' };
  }
  return { ok: false, message: '车牌号码格式不对, 例如 粤B12345' };
}
