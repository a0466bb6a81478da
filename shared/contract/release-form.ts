/**
 * The abnormal-release (异常放行) form as it crosses the process boundary. The renderer checks it
 * with this schema to show each field's problem at once; the main process checks it again before
 * anything is enqueued. Times are instants (ms since the epoch); the main side turns them into
 * the platform's UTC strings. The operator comes from the shift, flow_no is minted by the main side.
 */
import { z } from 'zod';
import { CAR_TYPES, PLATE_COLORS, valuesOf } from '../records/enums.ts';
import { textRule } from '../records/fields.ts';
import { checkPlate } from '../records/plate.ts';
import { receivedKind } from '../records/text-rules.ts';
import { recordTimeProblem } from '../records/time.ts';

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

/**
 * How far ahead of this PC's clock an operate time may be (a booth clock a little fast): stricter than a record's day.
 */
export const OPERATE_TIME_MAX_AHEAD_MS = 10 * 60 * 1000;

/** A value that is not the expected type: "请输入…" when there is none, else what came. */
const typeError = (label: string, expected: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? `请输入${label}` : `${label}${expected}, 收到${receivedKind(iss.input)}`;

/** An instant (ms since the epoch) inside the window of every record's times (recordTimeProblem). */
function instant(label: string) {
  return z
    .number({ error: typeError(label, '须为时间 (毫秒数)') })
    .int(`${label}不是有效的时间 (须为整数毫秒)`)
    .superRefine((t, ctx) => {
      const problem = recordTimeProblem(t);
      if (problem) ctx.addIssue({ code: 'custom', message: `${label}${problem}` });
    });
}

/** Text of the form: the shared text rules (textProblem), then trimmed. */
function formText(label: string, max: number) {
  return z
    .string({ error: typeError(label, '须为文字') })
    .superRefine(textRule(label))
    .trim()
    .max(max, `${label}不能超过 ${max} 个字`);
}

function optionalText(label: string, max: number) {
  return formText(label, max).optional();
}

export const releaseFormSchema = z
  .strictObject({
    plate: z.string({ error: typeError('车牌号码', '须为文字') }).transform((s, ctx) => {
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
    parkingSerial: formText('停车流水号', 64).min(1, '请输入停车流水号'),
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
      const now = Date.now();
      // Beyond a day ahead the shared window has already said so.
      if (
        num(f.operateTime) &&
        f.operateTime > now + OPERATE_TIME_MAX_AHEAD_MS &&
        recordTimeProblem(f.operateTime, now) === null
      ) {
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
