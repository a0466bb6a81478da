/**
 * 单条续费: one fixed vehicle's renewal, typed with the keyboard. The plate brings its defaults (the start the day
 * after its last renewal sent from here, its type and 收费类型); the end follows type, quantity and start until it is
 * typed. Every field says its own problem in Chinese at once (the shared record rules); Enter saves from any box,
 * Ctrl+Enter from anywhere. The saved renewal is confirmed large at the top, with its key and 车场订单号.
 */
import { AutoComplete, Button, Col, Form, Input, Radio, Row, Space } from 'antd';
import { type FocusEvent, type KeyboardEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { PLATE_COLORS, VIP_PAY_TYPES, VIP_TYPES } from '../../../shared/records/enums.ts';
import { expectedEndDay, VALUE_MEANING } from '../../../shared/records/renewal.ts';
import { api } from '../../binding.ts';
import { DayReadAs, LocalDayInput } from '../../components/LocalDayInput.tsx';
import { PlateInput } from '../../components/PlateInput.tsx';
import { YuanInput } from '../../components/YuanInput.tsx';
import { useConsole, useZone } from '../../stores/console.ts';
import { formatLocal, parseTyped, TIME_HINT } from '../../time.ts';
import { type FormField, RENEWAL_FIELD_LABELS } from './fields.ts';
import {
  firstBad,
  followedEnd,
  type RenewalDraft,
  replyErrors,
  toRenewal,
  validPlate,
  valueLabel,
} from './renewal-draft.ts';
import { RenewalSaved } from './RenewalSaved.tsx';
import { followRecords, useVip } from './store.ts';
import { focusNavField } from '../../components/form-nav.ts';

/** What one unit of quantity is, per type. */
const QUANTITY_UNIT: Record<string, string> = { '1': '个月', '6': '个季度', '7': '个半年', '5': '年', '4': '天' };

const VIP_TYPE_OPTIONS = VIP_TYPES.map((t) => ({ value: t.value, label: t.value === '0' ? '免费' : t.label }));
const PLATE_COLOR_OPTIONS = PLATE_COLORS.map((c) => ({ value: c.value, label: c.label.replace(/色$/, '') }));
const PAY_TYPE_OPTIONS = VIP_PAY_TYPES.map((p) => ({ value: p.value, label: p.label.replace(/支付$/, '') }));

function useClock(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

const grey = (text: ReactNode) => <span style={{ color: '#595959' }}>{text}</span>;

/** What a box holds as typed: its problem is said when it is left with something in it (empty ones on saving). */
const TYPED: Partial<Record<FormField, (d: RenewalDraft) => string>> = {
  plate: (d) => d.plateText,
  quantity: (d) => d.quantity,
  start_day: (d) => d.startDay,
  end_day: (d) => d.endDay,
  value: (d) => d.value,
  pay_value: (d) => d.payValue,
  pay_time: (d) => (d.payTimeFollowsNow ? '' : d.payTimeText),
  charge_type: (d) => d.chargeType,
  pay_partner: (d) => d.payPartner,
  card_no: (d) => d.cardNo,
  card_id: (d) => d.cardId,
};

/** Time cards and 储天: their end follows from start and quantity. */
const hasPeriod = (vipType: string) => expectedEndDay(vipType, 1, '2000-01-01') !== null;

export function RenewalForm() {
  const session = useConsole((s) => s.session)!;
  const zone = useZone();
  const { draft, errors, formError, startNote, chargeTypes, update, setErrors, applyDefaults, setChargeTypes } =
    useVip();
  const saved = useVip((s) => s.saved);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const now = useClock(1000);
  const operator = session.operator ?? session.managerName;

  // 收费类型 used before, for the list under the box.
  useEffect(() => {
    void api.renewalDefaults({}).then((r) => {
      if (r.ok) setChargeTypes(r.value.chargeTypes);
    });
  }, [setChargeTypes]);

  // A real plate in the box: its defaults (an answer for a plate no longer there is dropped by applyDefaults).
  const plate = validPlate(draft);
  useEffect(() => {
    if (plate === null) return;
    let live = true;
    const t = setTimeout(async () => {
      const r = await api.renewalDefaults({ plate });
      if (live) applyDefaults(plate, r.ok ? r.value : null);
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [plate, applyDefaults]);

  const focusField = useCallback((name: string) => focusNavField(formRef.current, name), []);

  useEffect(() => {
    focusField('plate');
  }, [focusField]);

  const submit = async () => {
    if (busy) return;
    const at = Date.now();
    const checked = toRenewal(draft, zone, at, operator);
    if ('errors' in checked) {
      setErrors(checked.errors, checked.formError ?? '有字段需要修改, 见红字提示; 续费未保存');
      const first = firstBad(checked.errors);
      if (first) focusField(first);
      return;
    }
    setBusy(true);
    const r = await api.submitRenewal(checked.form);
    setBusy(false);
    if (!r.ok) {
      const shown = replyErrors(r.error.issues ?? [], r.error.message);
      setErrors(shown.errors, shown.formError);
      const first = firstBad(shown.errors);
      if (first) focusField(first);
      return;
    }
    useVip.getState().saved1({ ...r.value, plate: checked.form.plate, savedAt: at });
    followRecords([r.value.id]);
    // The confirmation at the top comes into view, then the plate box takes the next renewal.
    setTimeout(() => {
      window.scrollTo({ top: 0 });
      formRef.current?.querySelector<HTMLElement>('[data-nav="plate"]')?.focus({ preventScroll: true });
    }, 0);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
    const target = e.target as HTMLElement;
    if (e.ctrlKey) {
      e.preventDefault();
      void submit();
      return;
    }
    if (target.tagName === 'BUTTON') return;
    // An open list takes Enter for its option; the province list opens on Enter.
    if (target.closest('.ant-select')) {
      if (target.getAttribute('aria-expanded') === 'true' || !target.closest('[data-nav="charge_type"]')) return;
    }
    e.preventDefault();
    void submit();
  };

  // Leaving a box with something in it: its own problem at once, from the same rules as saving.
  const onBlur = (e: FocusEvent<HTMLFormElement>) => {
    const nav = (e.target as HTMLElement).closest('[data-nav]')?.getAttribute('data-nav') as FormField | undefined;
    const typed = nav ? TYPED[nav] : undefined;
    if (!nav || !typed) return;
    // After the box's own blur (a day box writes its day in full then).
    setTimeout(() => {
      const d = useVip.getState().draft;
      if (typed(d).trim() === '') return;
      const checked = toRenewal(d, zone, Date.now(), operator);
      useVip.getState().setFieldError(nav, 'errors' in checked ? checked.errors[nav] : undefined);
    }, 0);
  };

  const item = (field: FormField, label?: ReactNode, extra?: ReactNode) => ({
    label: label ?? RENEWAL_FIELD_LABELS[field],
    htmlFor: `vip-${field}`,
    validateStatus: errors[field] ? ('error' as const) : ('' as const),
    help: errors[field] ? <span data-testid={`vip-error-${field}`}>{errors[field]}</span> : undefined,
    extra,
  });
  const status = (field: FormField) => (errors[field] ? ('error' as const) : ('' as const));

  const unit = VALUE_MEANING[draft.vipType]?.unit ?? null;
  const followed = followedEnd(draft, zone);
  const startExtra =
    startNote && startNote.day === draft.startDay && startNote.plate === plate ? (
      <span data-testid="vip-start-note">{startNote.text}</span>
    ) : (
      <DayReadAs text={draft.startDay} zone={zone} />
    );
  const endExtra = draft.endTouched ? (
    followed !== null && followed !== draft.endDay ? (
      <Button
        type="link"
        size="small"
        style={{ padding: 0, height: 'auto' }}
        onClick={() => update({ endTouched: false }, ['end_day'])}
        data-testid="vip-end-follow"
      >
        按数量计算为 {followed}
      </Button>
    ) : (
      <DayReadAs text={draft.endDay} zone={zone} />
    )
  ) : followed !== null ? (
    grey(`按${VIP_TYPE_OPTIONS.find((t) => t.value === draft.vipType)?.label ?? ''}和数量自动计算`)
  ) : hasPeriod(draft.vipType) ? (
    grey('填好开始日期和数量后自动计算')
  ) : (
    grey('此类型可不填')
  );
  const payTimeText = draft.payTimeFollowsNow ? formatLocal(now, zone) : draft.payTimeText;
  const payTimeRead =
    !draft.payTimeFollowsNow && draft.payTimeText.trim() !== ''
      ? (() => {
          const t = parseTyped(draft.payTimeText, zone);
          return t === null ? grey(TIME_HINT) : grey(`即 ${formatLocal(t, zone).slice(0, 16)}`);
        })()
      : grey('默认为现在');

  return (
    <div>
      <RenewalSaved latest={saved[0]} />
      <form
        ref={formRef}
        onKeyDownCapture={onKeyDown}
        onBlurCapture={onBlur}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        noValidate
        data-testid="vip-form"
        className="vip-form"
        aria-label="固定车续费"
      >
        <Form layout="vertical" component="div">
          <div className="vip-row">
            <Form.Item {...item('plate')} required>
              <PlateInput
                id="vip-plate"
                testId="vip-plate"
                province={draft.province}
                text={draft.plateText}
                onProvince={(province) => update({ province }, ['plate'])}
                onText={(plateText) => update({ plateText }, ['plate'])}
              />
            </Form.Item>
            <Form.Item {...item('plate_color')} required>
              <div data-nav="plate_color">
                <Radio.Group
                  id="vip-plate_color"
                  aria-label="车牌颜色"
                  name="vip-plate-color"
                  optionType="button"
                  buttonStyle="solid"
                  value={draft.plateColor}
                  onChange={(e) =>
                    update({ plateColor: e.target.value as string, plateColorTouched: true }, ['plate_color'])
                  }
                  options={PLATE_COLOR_OPTIONS}
                />
              </div>
            </Form.Item>
          </div>

          <div className="vip-row">
            <Form.Item {...item('vip_type')} required>
              <div data-nav="vip_type" data-testid="vip-type">
                <Radio.Group
                  id="vip-vip_type"
                  aria-label="固定车类型"
                  name="vip-type"
                  optionType="button"
                  buttonStyle="solid"
                  value={draft.vipType}
                  onChange={(e) =>
                    update({ vipType: e.target.value as string, vipTypeTouched: true }, [
                      'vip_type',
                      'value',
                      'quantity',
                    ])
                  }
                  options={VIP_TYPE_OPTIONS}
                />
              </div>
            </Form.Item>
            <Form.Item {...item('quantity')} required style={{ width: 150 }}>
              <Input
                id="vip-quantity"
                data-nav="quantity"
                data-testid="vip-quantity"
                value={draft.quantity}
                onChange={(e) => update({ quantity: e.target.value.trim() }, ['quantity', 'end_day'])}
                inputMode="numeric"
                autoComplete="off"
                maxLength={6}
                status={status('quantity')}
                suffix={QUANTITY_UNIT[draft.vipType] ?? ''}
              />
            </Form.Item>
          </div>

          <Row gutter={12}>
            <Col xs={12} md={6}>
              <Form.Item {...item('start_day', undefined, startExtra)}>
                <LocalDayInput
                  id="vip-start_day"
                  nav="start_day"
                  testId="vip-start"
                  zone={zone}
                  value={draft.startDay}
                  status={status('start_day')}
                  onChange={(startDay) =>
                    update({ startDay, startTouched: true }, ['start_day', 'end_day', 'quantity'])
                  }
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item {...item('end_day', undefined, endExtra)}>
                <LocalDayInput
                  id="vip-end_day"
                  nav="end_day"
                  testId="vip-end"
                  zone={zone}
                  value={draft.endDay}
                  status={status('end_day')}
                  onChange={(endDay) => update({ endDay, endTouched: true }, ['end_day', 'quantity'])}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item
                {...item(
                  'value',
                  <span data-testid="vip-value-label">{valueLabel(draft.vipType)}</span>,
                  unit === 'fen' ? grey('以元填写, 按分上传') : unit === null ? undefined : grey('可不填'),
                )}
              >
                {unit === 'fen' ? (
                  <YuanInput
                    id="vip-value"
                    nav="value"
                    testId="vip-value"
                    value={draft.value}
                    status={status('value')}
                    onChange={(value) => update({ value }, ['value'])}
                  />
                ) : (
                  <Input
                    id="vip-value"
                    data-nav="value"
                    data-testid="vip-value"
                    value={draft.value}
                    disabled={unit === null}
                    placeholder={unit === null ? '免费车不填' : ''}
                    onChange={(e) => update({ value: e.target.value.trim() }, ['value', 'quantity'])}
                    inputMode="numeric"
                    autoComplete="off"
                    maxLength={9}
                    status={status('value')}
                    suffix={unit === 'count' ? '次' : unit === 'days' ? '天' : undefined}
                  />
                )}
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item {...item('pay_value', '支付金额')}>
                <YuanInput
                  id="vip-pay_value"
                  nav="pay_value"
                  testId="vip-pay-value"
                  value={draft.payValue}
                  status={status('pay_value')}
                  onChange={(payValue) => update({ payValue }, ['pay_value'])}
                />
              </Form.Item>
            </Col>
          </Row>

          <Row gutter={12}>
            <Col xs={12} md={6}>
              <Form.Item {...item('pay_type')} required>
                <div data-nav="pay_type">
                  <Radio.Group
                    id="vip-pay_type"
                    aria-label="支付方式"
                    name="vip-pay-type"
                    optionType="button"
                    buttonStyle="solid"
                    value={draft.payType}
                    onChange={(e) => update({ payType: e.target.value as string }, ['pay_type'])}
                    options={PAY_TYPE_OPTIONS}
                  />
                </div>
              </Form.Item>
            </Col>
            <Col xs={12} md={9}>
              <Form.Item {...item('pay_time', undefined, payTimeRead)}>
                <Space.Compact style={{ width: '100%' }}>
                  <Input
                    id="vip-pay_time"
                    data-nav="pay_time"
                    data-testid="vip-pay-time"
                    value={payTimeText}
                    onChange={(e) => update({ payTimeText: e.target.value, payTimeFollowsNow: false }, ['pay_time'])}
                    onFocus={(e) => {
                      if (draft.payTimeFollowsNow) update({ payTimeFollowsNow: false, payTimeText: e.target.value });
                      e.currentTarget.select();
                    }}
                    autoComplete="off"
                    className="mono"
                    status={status('pay_time')}
                  />
                  <Button
                    onClick={() => update({ payTimeFollowsNow: true, payTimeText: '' }, ['pay_time'])}
                    data-testid="vip-pay-time-now"
                  >
                    现在
                  </Button>
                </Space.Compact>
              </Form.Item>
            </Col>
            <Col xs={24} md={9}>
              <Form.Item {...item('charge_type', undefined, grey('平台上的收费规则, 可从列表选择以前用过的'))} required>
                <div data-nav="charge_type">
                  <AutoComplete
                    id="vip-charge_type"
                    data-testid="vip-charge-type"
                    value={draft.chargeType}
                    onChange={(chargeType: string) => update({ chargeType, chargeTypeTouched: true }, ['charge_type'])}
                    options={chargeTypes.map((c) => ({ value: c }))}
                    showSearch={{
                      filterOption: (input, o) => String(o?.value ?? '').includes(input.trim()),
                    }}
                    status={status('charge_type')}
                    style={{ width: '100%' }}
                  />
                </div>
              </Form.Item>
            </Col>
          </Row>

          <Row gutter={12}>
            <Col xs={12} md={7}>
              <Form.Item {...item('pay_partner')}>
                <Input
                  placeholder="不填则自动生成"
                  id="vip-pay_partner"
                  data-nav="pay_partner"
                  data-testid="vip-pay-partner"
                  value={draft.payPartner}
                  onChange={(e) => update({ payPartner: e.target.value }, ['pay_partner'])}
                  autoComplete="off"
                  maxLength={64}
                  status={status('pay_partner')}
                />
              </Form.Item>
            </Col>
            <Col xs={6} md={4}>
              <Form.Item {...item('card_no')}>
                <Input
                  id="vip-card_no"
                  data-nav="card_no"
                  data-testid="vip-card-no"
                  value={draft.cardNo}
                  onChange={(e) => update({ cardNo: e.target.value }, ['card_no'])}
                  autoComplete="off"
                  maxLength={64}
                  status={status('card_no')}
                />
              </Form.Item>
            </Col>
            <Col xs={6} md={4}>
              <Form.Item {...item('card_id')}>
                <Input
                  id="vip-card_id"
                  data-nav="card_id"
                  data-testid="vip-card-id"
                  value={draft.cardId}
                  onChange={(e) => update({ cardId: e.target.value }, ['card_id'])}
                  autoComplete="off"
                  maxLength={64}
                  status={status('card_id')}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={9}>
              <div className="vip-save-row">
                <span className="vip-operator">
                  操作员: <b data-testid="vip-operator">{operator ?? '—'}</b>
                </span>
                <Button
                  type="primary"
                  size="large"
                  onClick={() => void submit()}
                  loading={busy}
                  data-testid="vip-save"
                  className="vip-save"
                >
                  保存续费 (回车)
                </Button>
              </div>
            </Col>
          </Row>
          {formError ? (
            <div className="vip-form-error" data-testid="vip-form-error" role="alert">
              {formError}
            </div>
          ) : null}
        </Form>
      </form>
    </div>
  );
}
