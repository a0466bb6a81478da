/**
 * 付款明细: the exit's payments as a list, one line each: type, 实收 (yuan), 优惠, 找零 (cash only), 车场订单号 (minted
 * when empty), time (the exit time when empty) and collector (the shift's operator). Enter goes along the line and
 * on to the next; 添加一条 adds a line of the last line's type, with the focus on its amount.
 */
import { Button, Input, Select } from 'antd';
import { PAY_TYPES } from '../../../shared/records/enums.ts';
import { YuanInput } from '../../components/YuanInput.tsx';
import { PAYMENT_LABELS } from './draft.ts';
import { useExit } from './store.ts';

const PAY_TYPE_OPTIONS = PAY_TYPES.map((p) => ({ value: p.value, label: p.label }));

interface Props {
  operator: string | null;
  disabled: boolean;
  /** The exit time as typed (the default pay time). */
  leaveText: string;
  /** Focus a field by its data-nav name once it is on the screen. */
  focusSoon(nav: string): void;
  /** The platform's last words about the payments (a re-push). */
  highlight?: string | undefined;
}

export function PaymentsEditor({ operator, disabled, leaveText, focusSoon, highlight }: Props) {
  const payments = useExit((s) => s.draft.payments);
  const errors = useExit((s) => s.errors);
  const { addPayment, removePayment, updatePayment } = useExit.getState();

  const add = () => {
    addPayment(operator);
    focusSoon(`payments[${payments.length}].value`);
  };

  return (
    <div className="exit-payments" data-testid="exit-payments">
      {payments.length > 0 ? (
        <div className="exit-pay-grid exit-pay-head" aria-hidden="true">
          <span>支付方式</span>
          <span>实收 (元)</span>
          <span>优惠 (元)</span>
          <span>找零 (元)</span>
          <span>车场订单号</span>
          <span>付款时间</span>
          <span>收费员</span>
          <span />
        </div>
      ) : (
        <div className="exit-muted exit-pay-empty">没有付款明细 (免费或未收费的车可不填)</div>
      )}
      {payments.map((p, i) => {
        const at = (f: keyof typeof PAYMENT_LABELS) => `payments[${i}].${f}`;
        const bad = (f: keyof typeof PAYMENT_LABELS) => (errors[at(f)] ? ('error' as const) : ('' as const));
        const rowErrors = Object.entries(errors).filter(([k]) => k.startsWith(`payments[${i}].`));
        const aria = (f: keyof typeof PAYMENT_LABELS) => `第 ${i + 1} 条 ${PAYMENT_LABELS[f]}`;
        return (
          <div key={p.key} className="exit-pay-row" data-testid={`exit-pay-${i}`}>
            <div className="exit-pay-grid">
              <div data-nav={at('pay_type')} data-testid={`exit-pay-${i}-type`}>
                <Select
                  aria-label={aria('pay_type')}
                  value={p.payType}
                  options={PAY_TYPE_OPTIONS}
                  onChange={(payType: string) =>
                    updatePayment(i, payType === '1' ? { payType } : { payType, change: '' }, [
                      at('pay_type'),
                      at('change_value'),
                    ])
                  }
                  disabled={disabled}
                  status={bad('pay_type')}
                  popupMatchSelectWidth={180}
                  style={{ width: '100%' }}
                />
              </div>
              <YuanInput
                nav={at('value')}
                testId={`exit-pay-${i}-value`}
                ariaLabel={aria('value')}
                value={p.value}
                onChange={(value) => updatePayment(i, { value }, [at('value')])}
                disabled={disabled}
                status={bad('value')}
              />
              <YuanInput
                nav={at('free_value')}
                testId={`exit-pay-${i}-free`}
                ariaLabel={aria('free_value')}
                value={p.free}
                onChange={(free) => updatePayment(i, { free }, [at('free_value')])}
                disabled={disabled}
                status={bad('free_value')}
              />
              {p.payType === '1' ? (
                <YuanInput
                  nav={at('change_value')}
                  testId={`exit-pay-${i}-change`}
                  ariaLabel={aria('change_value')}
                  value={p.change}
                  onChange={(change) => updatePayment(i, { change }, [at('change_value')])}
                  disabled={disabled}
                  status={bad('change_value')}
                />
              ) : (
                <span className="exit-muted exit-pay-na">仅现金</span>
              )}
              <Input
                data-nav={at('parking_order')}
                data-testid={`exit-pay-${i}-order`}
                aria-label={aria('parking_order')}
                value={p.order}
                onChange={(e) => updatePayment(i, { order: e.target.value }, [at('parking_order')])}
                placeholder="不填则自动生成"
                disabled={disabled}
                status={bad('parking_order')}
                autoComplete="off"
                maxLength={64}
              />
              <Input
                data-nav={at('pay_time')}
                data-testid={`exit-pay-${i}-time`}
                aria-label={aria('pay_time')}
                value={p.timeText}
                onChange={(e) => updatePayment(i, { timeText: e.target.value }, [at('pay_time')])}
                placeholder={leaveText.trim() ? '同离场时间' : '默认离场时间'}
                title="不填则为离场时间"
                disabled={disabled}
                status={bad('pay_time')}
                autoComplete="off"
                className="mono"
              />
              <Input
                data-nav={at('operator')}
                data-testid={`exit-pay-${i}-operator`}
                aria-label={aria('operator')}
                value={p.operator}
                onChange={(e) => updatePayment(i, { operator: e.target.value }, [at('operator')])}
                placeholder={operator ?? '收费员'}
                disabled={disabled}
                status={bad('operator')}
                autoComplete="off"
                maxLength={32}
              />
              <Button
                danger
                aria-label={`删除第 ${i + 1} 条付款`}
                onClick={() => {
                  removePayment(i);
                  focusSoon(payments.length > 1 ? `payments[${Math.max(0, i - 1)}].value` : 'exit-pay-add');
                }}
                disabled={disabled}
                data-testid={`exit-pay-remove-${i}`}
              >
                删除
              </Button>
            </div>
            {rowErrors.length > 0 ? (
              <div className="exit-error">
                {rowErrors.map(([k, m]) => (
                  <div key={k} data-testid={`exit-error-${k}`}>
                    第 {i + 1} 条 {PAYMENT_LABELS[k.split('.').pop() as keyof typeof PAYMENT_LABELS] ?? ''}: {m}
                  </div>
                ))}
              </div>
            ) : null}
          </div>
        );
      })}
      <div className="exit-pay-foot">
        <Button onClick={add} disabled={disabled} data-testid="exit-pay-add">
          + 添加一条付款
        </Button>
        {errors.payments ? (
          <span className="exit-error" data-testid="exit-error-payments">
            {errors.payments}
          </span>
        ) : null}
        {highlight && !errors.payments ? (
          <span className="exit-highlight" data-testid="exit-highlight">
            平台上次退回: {highlight}
          </span>
        ) : null}
      </div>
    </div>
  );
}
