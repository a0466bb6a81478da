/**
 * The leave page's fields in the groups a booth worker thinks in: 车辆, 入场, 离场, 费用, 车位, 通行证. Required fields
 * come first in each; what is rarely used (card numbers, plate photos, 车位, 通行证) starts folded, and opens by itself
 * when it holds something or has a problem.
 */
import { AutoComplete, Button, Form, Input, Radio, Select } from 'antd';
import { type ReactNode, useState } from 'react';
import {
  CAR_COLORS,
  CAR_TYPES,
  type EnumOption,
  PLATE_COLORS,
  PLATE_TYPES,
  VEHICLE_TYPES,
} from '../../../shared/records/enums.ts';
import { formatFen } from '../../../shared/records/money.ts';
import { totalsFromPayments } from '../../../shared/records/exit-fees.ts';
import type { ImageSlot as Slot } from '../../../shared/records/leave.ts';
import { PlateInput } from '../../components/PlateInput.tsx';
import { YuanInput } from '../../components/YuanInput.tsx';
import { formatLocal, TIME_HINT } from '../../time.ts';
import { EXIT_LABELS, type ExitDraft, FEE_KEYS, feeView, stayText, timeOf, timeOrderError } from './draft.ts';
import { ImageSlot } from './ImageSlot.tsx';
import { useExit } from './store.ts';

const grey = (text: ReactNode) => <span className="exit-muted">{text}</span>;
const short = (list: readonly EnumOption[], drop: RegExp) =>
  list.map((o) => ({ ...o, label: o.label.replace(drop, '') }));

/** Form.Item's props for a field: its label, its red hint, or the platform's words when a re-push names it. */
export function useItem() {
  const errors = useExit((s) => s.errors);
  const highlight = useExit((s) => s.repush?.highlight ?? null);
  return (field: string, extra?: ReactNode, label?: ReactNode) => {
    const error = errors[field];
    const hl = highlight?.field === field ? highlight.words : null;
    return {
      label: label ?? EXIT_LABELS[field],
      htmlFor: `exit-f-${field}`,
      validateStatus: error ? ('error' as const) : hl ? ('warning' as const) : ('' as const),
      help: error ? (
        <span data-testid={`exit-error-${field}`}>{error}</span>
      ) : hl ? (
        <span data-testid="exit-highlight" className="exit-highlight">
          平台上次退回: {hl}
        </span>
      ) : undefined,
      extra,
    };
  };
}

type TextKey = { [K in keyof ExitDraft]-?: ExitDraft[K] extends string ? K : never }[keyof ExitDraft];

/** A plain text box of the draft, keyed by its platform field. */
function TextBox(props: {
  field: string;
  k: TextKey;
  testId?: string;
  placeholder?: string;
  max?: number;
  disabled: boolean;
  mono?: boolean;
  numeric?: boolean;
}) {
  const value = useExit((s) => s.draft[props.k]);
  const bad = useExit((s) => s.errors[props.field] !== undefined);
  const update = useExit((s) => s.update);
  return (
    <Input
      id={`exit-f-${props.field}`}
      data-nav={props.field}
      data-testid={props.testId}
      value={value}
      onChange={(e) => update({ [props.k]: props.numeric ? e.target.value.trim() : e.target.value }, [props.field])}
      placeholder={props.placeholder}
      maxLength={props.max ?? 64}
      disabled={props.disabled}
      status={bad ? 'error' : ''}
      autoComplete="off"
      inputMode={props.numeric ? 'numeric' : undefined}
      className={props.mono ? 'mono' : undefined}
    />
  );
}

/** A group that starts folded: opens on a click, or by itself when it holds something or has a problem. */
export function Fold(props: { title: string; testId: string; filled: boolean; children: ReactNode }) {
  const [open, setOpen] = useState<boolean | null>(null);
  const shown = open ?? props.filled;
  return (
    <div className="exit-fold">
      <Button
        type="link"
        className="exit-fold-toggle"
        aria-expanded={shown}
        onClick={() => setOpen(!shown)}
        data-testid={`${props.testId}-toggle`}
      >
        {shown ? '▾' : '▸'} {props.title}
      </Button>
      {shown ? <div data-testid={props.testId}>{props.children}</div> : null}
    </div>
  );
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <section className="exit-section" data-testid={testId} aria-label={title}>
      <h3 className="exit-section-title">{title}</h3>
      {children}
    </section>
  );
}

interface SerialProps {
  disabled: boolean;
  /** Re-pushing: the same exit, so the same serial. */
  fixed: boolean;
  serials: string[];
}

export function VehicleGroup({ disabled, fixed, serials }: SerialProps) {
  const item = useItem();
  const d = useExit((s) => s.draft);
  const errors = useExit((s) => s.errors);
  const update = useExit((s) => s.update);
  const cardFilled = d.cardNo !== '' || d.cardId !== '' || errors.card_no !== undefined || errors.card_id !== undefined;
  return (
    <Section title="车辆" testId="exit-group-vehicle">
      <div className="exit-row">
        <Form.Item {...item('plate', grey('可不填 (无牌车)'))}>
          <fieldset disabled={disabled} className="exit-fieldset">
            <PlateInput
              id="exit-f-plate"
              testId="exit-plate"
              province={d.province}
              text={d.plateText}
              onProvince={(province) => update({ province }, ['plate'])}
              onText={(plateText) => update({ plateText }, ['plate'])}
              width={340}
            />
          </fieldset>
        </Form.Item>
        <Form.Item
          {...item(
            'parking_serial',
            fixed ? grey('重推同一次停车, 流水号不能改') : grey('本地道闸系统中的停车记录编号'),
          )}
          required
          className="exit-grow"
        >
          <Input
            id="exit-f-parking_serial"
            data-nav="parking_serial"
            data-testid="exit-serial"
            value={d.parkingSerial}
            onChange={(e) => update({ parkingSerial: e.target.value }, ['parking_serial'])}
            readOnly={fixed}
            disabled={disabled}
            status={errors.parking_serial ? 'error' : ''}
            placeholder="在道闸系统的停车记录里查看"
            maxLength={64}
            autoComplete="off"
            className={fixed ? 'mono exit-readonly' : 'mono'}
          />
          {serials.length > 0 && !fixed ? (
            <div className="exit-serials" data-testid="exit-serial-pick">
              <span className="exit-muted">该车最近: </span>
              {serials.map((s) => (
                <Button
                  key={s}
                  size="small"
                  disabled={disabled}
                  onClick={() => update({ parkingSerial: s }, ['parking_serial'])}
                  data-serial={s}
                >
                  {s}
                </Button>
              ))}
            </div>
          ) : null}
        </Form.Item>
      </div>
      <div className="exit-row">
        <Form.Item {...item('plate_color')} required>
          <div data-nav="plate_color">
            <Radio.Group
              id="exit-f-plate_color"
              name="exit-plate-color"
              aria-label="车牌颜色"
              optionType="button"
              buttonStyle="solid"
              value={d.plateColor}
              disabled={disabled}
              onChange={(e) =>
                update({ plateColor: e.target.value as string, plateColorTouched: true }, ['plate_color'])
              }
              options={short(PLATE_COLORS, /色$/)}
            />
          </div>
        </Form.Item>
        <Form.Item {...item('car_type')} required>
          <div data-nav="car_type">
            <Radio.Group
              id="exit-f-car_type"
              name="exit-car-type"
              aria-label="车辆类型"
              optionType="button"
              buttonStyle="solid"
              value={d.carType}
              disabled={disabled}
              onChange={(e) => update({ carType: e.target.value as string }, ['car_type'])}
              options={short(CAR_TYPES, /车辆/)}
            />
          </div>
        </Form.Item>
      </div>
      <div className="exit-row">
        <Form.Item {...item('car_desc')} required className="exit-w200">
          <TextBox field="car_desc" k="carDesc" testId="exit-car-desc" placeholder="如 临时车" disabled={disabled} />
        </Form.Item>
        <Form.Item {...item('charge_type')} required className="exit-w200">
          <TextBox
            field="charge_type"
            k="chargeType"
            testId="exit-charge-type"
            placeholder="如 标准计费"
            disabled={disabled}
          />
        </Form.Item>
        <Form.Item {...item('vehicle_type')} className="exit-w160">
          <EnumSelect field="vehicle_type" k="vehicleType" options={VEHICLE_TYPES} disabled={disabled} />
        </Form.Item>
        <Form.Item {...item('plate_type')} className="exit-w160">
          <EnumSelect field="plate_type" k="plateType" options={PLATE_TYPES} disabled={disabled} />
        </Form.Item>
        <Form.Item {...item('car_color')} className="exit-w120">
          <EnumSelect field="car_color" k="carColor" options={CAR_COLORS} disabled={disabled} />
        </Form.Item>
      </div>
      <Fold title="卡号 (逻辑卡号、物理卡号)" testId="exit-fold-cards" filled={cardFilled}>
        <div className="exit-row">
          <Form.Item {...item('card_no')} className="exit-w200">
            <TextBox field="card_no" k="cardNo" testId="exit-card-no" disabled={disabled} />
          </Form.Item>
          <Form.Item {...item('card_id')} className="exit-w200">
            <TextBox field="card_id" k="cardId" testId="exit-card-id" disabled={disabled} />
          </Form.Item>
        </div>
      </Fold>
    </Section>
  );
}

function EnumSelect(props: { field: string; k: TextKey; options: readonly EnumOption[]; disabled: boolean }) {
  const value = useExit((s) => s.draft[props.k]);
  const update = useExit((s) => s.update);
  return (
    <div data-nav={props.field} data-testid={`exit-${props.field.replace(/_/g, '-')}`}>
      <Select
        id={`exit-f-${props.field}`}
        aria-label={EXIT_LABELS[props.field]}
        value={value === '' ? undefined : value}
        onChange={(v: string | undefined) => update({ [props.k]: v ?? '' }, [props.field])}
        options={props.options.map((o) => ({ value: o.value, label: o.label }))}
        allowClear
        placeholder="不填"
        disabled={props.disabled}
        popupMatchSelectWidth={false}
        style={{ width: '100%' }}
      />
    </div>
  );
}

/** How a typed time is read, in the car park's clock. */
function ReadAs({ text, zone }: { text: string; zone: string }) {
  if (text.trim() === '') return grey(TIME_HINT);
  const t = timeOf(text, zone);
  return t === null ? grey(TIME_HINT) : grey(`即 ${formatLocal(t, zone).slice(0, 16)}`);
}

function PassageGroup(props: { side: 'enter' | 'leave'; zone: string; disabled: boolean; reasons: string[] }) {
  const { side, zone, disabled } = props;
  const item = useItem();
  const d = useExit((s) => s.draft);
  const errors = useExit((s) => s.errors);
  const update = useExit((s) => s.update);
  const highlight = useExit((s) => s.repush?.highlight ?? null);
  const enter = side === 'enter';
  const timeField = enter ? 'enter_time' : 'leave_time';
  const text = enter ? d.enterText : d.leaveText;
  const order = enter ? null : timeOrderError(d, zone);
  const enterAt = timeOf(d.enterText, zone);
  const leaveAt = timeOf(d.leaveText, zone);
  const slot: Slot = enter ? 'enter_image' : 'leave_image';
  const plateSlot: Slot = enter ? 'enter_plate_image' : 'leave_plate_image';
  const imgHl = (s: Slot) => (highlight?.field === `images.${s}` ? highlight.words : undefined);
  const reasonKey = enter ? 'enterReason' : 'leaveReason';
  const reasonField = enter ? 'enter_release_reason' : 'leave_release_reason';
  const timeError = errors[timeField] ?? order ?? undefined;
  const timeItem = item(timeField, <ReadAs text={text} zone={zone} />);
  // The reasons list opens on typing, an arrow key or a click, never on Enter (Enter goes to the next field).
  const [reasonOpen, setReasonOpen] = useState(false);
  return (
    <Section title={enter ? '入场' : '离场'} testId={`exit-group-${side}`}>
      <Form.Item
        {...timeItem}
        validateStatus={timeError ? 'error' : timeItem.validateStatus}
        help={timeError ? <span data-testid={`exit-error-${timeField}`}>{timeError}</span> : timeItem.help}
        required
      >
        <div className="exit-time">
          <Input
            id={`exit-f-${timeField}`}
            data-nav={timeField}
            data-testid={`exit-${side}-time`}
            value={text}
            onChange={(e) =>
              update(enter ? { enterText: e.target.value } : { leaveText: e.target.value }, [
                'enter_time',
                'leave_time',
              ])
            }
            placeholder={enter ? '如 03-01 08:30' : '如 10:45'}
            disabled={disabled}
            status={timeError ? 'error' : ''}
            autoComplete="off"
            className="mono"
          />
          {!enter ? (
            <Button
              disabled={disabled}
              onClick={() => update({ leaveText: formatLocal(Date.now(), zone).slice(0, 16) }, ['leave_time'])}
              data-testid="exit-leave-now"
            >
              现在
            </Button>
          ) : null}
        </div>
      </Form.Item>
      {!enter ? (
        <div className="exit-stay" data-testid="exit-stay">
          {enterAt !== null && leaveAt !== null && leaveAt >= enterAt
            ? `停车时长 ${stayText(leaveAt - enterAt)}`
            : '停车时长 —'}
        </div>
      ) : null}
      <div className="exit-row">
        <Form.Item {...item(enter ? 'enter_gate' : 'leave_gate')} className="exit-half">
          <TextBox
            field={enter ? 'enter_gate' : 'leave_gate'}
            k={enter ? 'enterGate' : 'leaveGate'}
            testId={`exit-${side}-gate`}
            placeholder={enter ? '如 东门入口' : '如 东门出口'}
            disabled={disabled}
          />
        </Form.Item>
        <Form.Item {...item(enter ? 'enter_security' : 'leave_security')} className="exit-half">
          <TextBox
            field={enter ? 'enter_security' : 'leave_security'}
            k={enter ? 'enterSecurity' : 'leaveSecurity'}
            testId={`exit-${side}-security`}
            max={32}
            disabled={disabled}
          />
        </Form.Item>
      </div>
      <Form.Item {...item(reasonField, grey('手动抬杆时填写, 可从列表选'))}>
        <div data-nav={reasonField}>
          <AutoComplete
            open={reasonOpen}
            onSearch={() => setReasonOpen(true)}
            onSelect={() => setReasonOpen(false)}
            onBlur={() => setReasonOpen(false)}
            onInputKeyDown={(e) => {
              if (e.key === 'ArrowDown' || e.key === 'ArrowUp') setReasonOpen(true);
              if (e.key === 'Escape') setReasonOpen(false);
            }}
            onClick={() => setReasonOpen(true)}
            defaultActiveFirstOption={false}
            id={`exit-f-${reasonField}`}
            aria-label={EXIT_LABELS[reasonField]}
            data-testid={`exit-${side}-reason`}
            value={d[reasonKey]}
            onChange={(v: string) => update({ [reasonKey]: v }, [reasonField])}
            options={props.reasons.map((r) => ({ value: r }))}
            disabled={disabled}
            status={errors[reasonField] ? 'error' : ''}
            maxLength={200}
            style={{ width: '100%' }}
          />
        </div>
      </Form.Item>
      <div className="exit-images">
        <ImageSlot slot={slot} disabled={disabled} error={errors[`images.${slot}`]} highlight={imgHl(slot)} />
      </div>
      <Fold
        title={`${enter ? '入场' : '离场'}车牌图片`}
        testId={`exit-fold-${plateSlot}`}
        filled={d.images[plateSlot].kind !== 'none' || errors[`images.${plateSlot}`] !== undefined}
      >
        <div className="exit-images">
          <ImageSlot
            slot={plateSlot}
            disabled={disabled}
            error={errors[`images.${plateSlot}`]}
            highlight={imgHl(plateSlot)}
          />
        </div>
      </Fold>
    </Section>
  );
}

export function PassagesGroup(props: { zone: string; disabled: boolean; reasons: string[] }) {
  return (
    <div className="exit-passages">
      <PassageGroup side="enter" {...props} />
      <PassageGroup side="leave" {...props} />
    </div>
  );
}

const FEE_TEST: Record<(typeof FEE_KEYS)[number][0], string> = {
  total_value: 'total',
  free_value: 'free',
  online_value: 'online',
  balance_value: 'balance',
  cash_value: 'cash',
  prepaid_value: 'prepaid',
};

const FEE_SHORT: Record<(typeof FEE_KEYS)[number][0], string> = {
  total_value: '总费用',
  free_value: '优惠总额',
  online_value: '在线支付',
  balance_value: '储值扣费',
  cash_value: '现金',
  prepaid_value: '先出后扣',
};

/** 费用: the typed totals, each with what the payments give, and the differences. */
export function FeesGroup({ disabled, payments }: { disabled: boolean; payments: ReactNode }) {
  const item = useItem();
  const d = useExit((s) => s.draft);
  const errors = useExit((s) => s.errors);
  const update = useExit((s) => s.update);
  const view = feeView(d);
  const expected = totalsFromPayments(view.payments, view.totals.prepaid_value ?? 0);
  const has = d.payments.length > 0;
  const differs = new Set<string>(view.mismatches.map((m) => m.field));
  const fill = () => {
    const change: Partial<ExitDraft> = {};
    for (const [field, key] of FEE_KEYS)
      if (field !== 'prepaid_value') (change as Record<string, string>)[key] = formatFen(expected[field]);
    update(
      change,
      FEE_KEYS.map(([f]) => f),
    );
  };
  return (
    <Section title="费用" testId="exit-group-fees">
      <div className="exit-fees">
        {FEE_KEYS.map(([field, key]) => {
          const fromPay = field === 'prepaid_value' ? null : expected[field];
          const note =
            field === 'prepaid_value' ? (
              grey('先离场后扣款, 不在付款明细中')
            ) : has && fromPay !== null ? (
              <span
                className={differs.has(field) ? 'exit-fee-differs' : 'exit-muted'}
                data-testid={`exit-${FEE_TEST[field]}-expected`}
              >
                明细合计 {formatFen(fromPay)}
              </span>
            ) : undefined;
          return (
            <Form.Item key={field} {...item(field, note, FEE_SHORT[field])}>
              <YuanInput
                id={`exit-f-${field}`}
                nav={field}
                testId={`exit-${FEE_TEST[field]}`}
                ariaLabel={EXIT_LABELS[field]}
                value={d[key] as string}
                onChange={(v) => update({ [key]: v }, [field])}
                disabled={disabled}
                status={errors[field] || differs.has(field) ? 'error' : ''}
              />
            </Form.Item>
          );
        })}
      </div>
      {view.mismatches.length > 0 ? (
        <div className="exit-fee-diff" data-testid="exit-fee-diff" role="status">
          <b>总额与付款明细不一致:</b>
          <ul>
            {view.mismatches.map((m) => (
              <li key={m.field}>{m.message}</li>
            ))}
          </ul>
          <Button size="small" onClick={fill} disabled={disabled} data-testid="exit-fee-fill">
            按付款明细填写总额
          </Button>
          <span className="exit-muted"> 也可以保持不变, 保存时确认后照样上传</span>
        </div>
      ) : null}
      <h3 className="exit-section-title exit-sub">付款明细</h3>
      {payments}
    </Section>
  );
}

/** 车位 and 通行证: rarely used, folded. */
export function MoreGroups({ disabled }: { disabled: boolean }) {
  const item = useItem();
  const d = useExit((s) => s.draft);
  const errors = useExit((s) => s.errors);
  const spaceFilled =
    d.totalSpace !== '' ||
    d.remainSpace !== '' ||
    errors.total_parking_space !== undefined ||
    errors.remain_parking_space !== undefined;
  const passFilled =
    d.idcardName !== '' ||
    d.idcardNo !== '' ||
    d.idcardImage !== '' ||
    ['idcard_name', 'idcard_no', 'idcard_image'].some((f) => errors[f] !== undefined);
  return (
    <div className="exit-more">
      <Fold title="车位 (总车位、剩余车位)" testId="exit-fold-space" filled={spaceFilled}>
        <div className="exit-row">
          <Form.Item {...item('total_parking_space')} className="exit-w160">
            <TextBox field="total_parking_space" k="totalSpace" testId="exit-total-space" disabled={disabled} numeric />
          </Form.Item>
          <Form.Item {...item('remain_parking_space')} className="exit-w160">
            <TextBox
              field="remain_parking_space"
              k="remainSpace"
              testId="exit-remain-space"
              disabled={disabled}
              numeric
            />
          </Form.Item>
        </div>
      </Fold>
      <Fold title="通行证 (证件姓名、号码、图片)" testId="exit-fold-pass" filled={passFilled}>
        <div className="exit-row">
          <Form.Item {...item('idcard_name')} className="exit-w160">
            <TextBox field="idcard_name" k="idcardName" testId="exit-idcard-name" max={32} disabled={disabled} />
          </Form.Item>
          <Form.Item {...item('idcard_no')} className="exit-w200">
            <TextBox field="idcard_no" k="idcardNo" testId="exit-idcard-no" disabled={disabled} mono />
          </Form.Item>
          <Form.Item {...item('idcard_image')} className="exit-grow">
            <TextBox
              field="idcard_image"
              k="idcardImage"
              testId="exit-idcard-image"
              placeholder="图片地址 http://…"
              max={1024}
              disabled={disabled}
            />
          </Form.Item>
        </div>
      </Fold>
    </div>
  );
}
