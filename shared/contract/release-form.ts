/**
 * The abnormal-release (异常放行) form as it crosses the process boundary. The renderer checks it
 * with this schema to show each field's problem at once; the main process checks it again before
 * anything is enqueued. Times are instants (ms since the epoch); the main side turns them into
 * the platform's UTC strings. The operator comes from the shift, flow_no is minted by the main side.
 */
import { z } from 'zod';
import { CAR_TYPES, PLATE_COLORS, valuesOf } from '../records/enums.ts';
import { checkPlate } from '../records/plate.ts';

export const RELEASE_FIELD_LABELS = {
  plate: '车牌号码',
  plateColor: '车牌颜色',
  carType: '车辆类型',
  carDesc: '车辆描述',
  parkingSerial: '停车流水号',
  enterTime: '入场时间',
  leaveTime: '离场时间',
  operateTime: '操作时间',
  reason: '放行原因',
  remark: '补充说明',
} as const;
export type ReleaseField = keyof typeof RELEASE_FIELD_LABELS;

/** How far ahead of this PC's clock an operate time may be (a booth clock a little fast). */
export const OPERATE_TIME_MAX_AHEAD_MS = 10 * 60 * 1000;
/** Nothing before this is a real record of this console. */
const EARLIEST = Date.UTC(2000, 0, 1);

const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

function instant(label: string) {
  return z
    .number({ error: `${label}不是有效的时间` })
    .int(`${label}不是有效的时间`)
    .min(EARLIEST, `${label}不能早于 2000 年`)
    .max(Date.UTC(2100, 0, 1), `${label}不是有效的时间`);
}

function optionalText(label: string, max: number) {
  return z
    .string({ error: `${label}须为文字` })
    .trim()
    .max(max, `${label}不能超过 ${max} 个字`)
    .refine(noControl, `${label}不能含控制字符`)
    .optional();
}

export const releaseFormSchema = z
  .strictObject({
    plate: z
      .string({ error: '请输入车牌号码' })
      .transform((s, ctx) => {
        const check = checkPlate(s);
        if (!check.ok) {
          ctx.addIssue({ code: 'custom', message: check.message });
          return z.NEVER;
        }
        return check.plate;
      }),
    plateColor: z.enum(valuesOf(PLATE_COLORS), { error: '车牌颜色须从列表中选择' }).optional(),
    carType: z.enum(valuesOf(CAR_TYPES), { error: '车辆类型须从列表中选择' }).optional(),
    carDesc: optionalText('车辆描述', 64),
    parkingSerial: z
      .string({ error: '请输入停车流水号' })
      .trim()
      .min(1, '请输入停车流水号')
      .max(64, '停车流水号不能超过 64 个字符')
      .refine(noControl, '停车流水号不能含控制字符'),
    enterTime: instant('入场时间').nullable().optional(),
    leaveTime: instant('离场时间').nullable().optional(),
    operateTime: instant('操作时间'),
    reason: optionalText('放行原因', 50),
    remark: optionalText('补充说明', 140),
  })
  // Runs even when some fields are bad, so that every problem is named at once (hence the type checks).
  .superRefine(
    (f, ctx) => {
      const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
      if (!f.reason && !f.remark) ctx.addIssue({ code: 'custom', path: ['reason'], message: '请选择或填写放行原因' });
      if (num(f.enterTime) && num(f.leaveTime) && f.leaveTime < f.enterTime) {
        ctx.addIssue({ code: 'custom', path: ['leaveTime'], message: '离场时间不能早于入场时间' });
      }
      if (num(f.operateTime) && f.operateTime > Date.now() + OPERATE_TIME_MAX_AHEAD_MS) {
        ctx.addIssue({ code: 'custom', path: ['operateTime'], message: '操作时间不能晚于现在' });
      }
      if (num(f.enterTime) && num(f.operateTime) && f.operateTime < f.enterTime) {
        ctx.addIssue({ code: 'custom', path: ['operateTime'], message: '操作时间不能早于入场时间' });
      }
    },
    { when: () => true },
  );

export type ReleaseFormInput = z.input<typeof releaseFormSchema>;
export type ReleaseForm = z.output<typeof releaseFormSchema>;

/** The reason as the platform gets it: the listed reason and the free text, joined. */
export function releaseReason(form: Pick<ReleaseForm, 'reason' | 'remark'>): string {
  return [form.reason, form.remark].filter((s): s is string => !!s).join(': ');
}
