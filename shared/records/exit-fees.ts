/**
 * An exit's fee totals against its payments (离场补推): what each total should be from the payment list, and which
 * typed totals differ. The form shows the differences before sending; the main process asks for a confirmation
 * (the worker may still send: the booth's own system may count differently). Money in fen.
 *
 * The rules, from the leave page's descriptions:
 * - 现金 cash_value: the 实收 (`value`, change already given back) of the cash payments (pay_type 1);
 * - 在线 online_value: of online (2) and 无感 (3) payments; 储值 balance_value: of stored-value payments (4);
 * - 优惠 free_value: every payment's `free_value`, plus coupons paid in full (8, whose `value` is the coupon's);
 * - 总费用 total_value: cash + online + balance + discount + prepaid_value (先出后扣, owed, not in the payments).
 */

export interface FeePayment {
  pay_type?: string | undefined;
  value?: number | undefined;
  free_value?: number | undefined;
}

export interface FeeTotals {
  total_value?: number | undefined;
  free_value?: number | undefined;
  online_value?: number | undefined;
  balance_value?: number | undefined;
  cash_value?: number | undefined;
  prepaid_value?: number | undefined;
}

export type FeeField = 'total_value' | 'free_value' | 'online_value' | 'balance_value' | 'cash_value';

export const FEE_LABELS: Record<FeeField | 'prepaid_value', string> = {
  total_value: '总费用',
  free_value: '优惠总额',
  online_value: '在线支付总额',
  balance_value: '储值扣费总额',
  cash_value: '现金总额',
  prepaid_value: '先出后扣金额',
};

export interface FeeMismatch {
  field: FeeField;
  /** What the payments give, in fen. */
  expected: number;
  typed: number;
  message: string;
}

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

/** The totals the payments give (prepaid_value as typed, 0 when not). */
export function totalsFromPayments(
  payments: readonly FeePayment[],
  prepaid = 0,
): Required<Omit<FeeTotals, 'prepaid_value'>> {
  let cash = 0;
  let online = 0;
  let balance = 0;
  let free = 0;
  for (const p of payments) {
    const value = p.value ?? 0;
    free += p.free_value ?? 0;
    if (p.pay_type === '1') cash += value;
    else if (p.pay_type === '2' || p.pay_type === '3') online += value;
    else if (p.pay_type === '4') balance += value;
    else if (p.pay_type === '8') free += value;
  }
  return {
    cash_value: cash,
    online_value: online,
    balance_value: balance,
    free_value: free,
    total_value: cash + online + balance + free + prepaid,
  };
}

/** Each typed total that the payments do not give; none when there are no payments (nothing to compare). */
export function feeMismatches(totals: FeeTotals, payments: readonly FeePayment[]): FeeMismatch[] {
  if (payments.length === 0) return [];
  const expected = totalsFromPayments(payments, totals.prepaid_value ?? 0);
  const out: FeeMismatch[] = [];
  for (const field of ['cash_value', 'online_value', 'balance_value', 'free_value', 'total_value'] as const) {
    const typed = totals[field];
    if (typed === undefined || typed === expected[field]) continue;
    out.push({
      field,
      expected: expected[field],
      typed,
      message: `${FEE_LABELS[field]}填的是 ${yuan(typed)} 元, 按付款明细应为 ${yuan(expected[field])} 元`,
    });
  }
  return out;
}
