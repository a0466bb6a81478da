/** 离场补推's fee totals against its payments (shared/records/exit-fees.ts). */
import { describe, expect, it } from 'vitest';
import { feeMismatches, totalsFromPayments } from '../../shared/records/exit-fees.ts';

const cashWithChange = { pay_type: '1', value: 1500 }; // 20 元 given, 5 back: 实收 15
const coupon = { pay_type: '8', value: 1000 }; // a 10 元 coupon paid in full
const online = { pay_type: '2', value: 300, free_value: 200 };
const noPay = { pay_type: '3', value: 400 };
const balance = { pay_type: '4', value: 700 };

describe('totalsFromPayments', () => {
  it('cash, online + 无感, balance; a full coupon and every free_value are discount; total adds prepaid', () => {
    expect(totalsFromPayments([cashWithChange, coupon, online, noPay, balance], 100)).toEqual({
      cash_value: 1500,
      online_value: 700,
      balance_value: 700,
      free_value: 1200,
      total_value: 1500 + 700 + 700 + 1200 + 100,
    });
  });
});

describe('feeMismatches', () => {
  it('none when the totals agree, are not typed, or there are no payments', () => {
    expect(feeMismatches({ cash_value: 1500, free_value: 1000, total_value: 2500 }, [cashWithChange, coupon])).toEqual(
      [],
    );
    expect(feeMismatches({}, [cashWithChange])).toEqual([]);
    expect(feeMismatches({ cash_value: 1 }, [])).toEqual([]);
  });

  it('each differing total named, with the typed and the expected amounts in yuan', () => {
    // total: 15 cash + 10 coupon + 5 prepaid = 30 元, as typed; cash typed 20 元.
    expect(
      feeMismatches({ cash_value: 2000, total_value: 3000, prepaid_value: 500 }, [cashWithChange, coupon]),
    ).toEqual([
      { field: 'cash_value', expected: 1500, typed: 2000, message: '现金总额填的是 20.00 元, 按付款明细应为 15.00 元' },
    ]);
  });

  it('the coupon counts in free_value, prepaid in total_value', () => {
    const m = feeMismatches({ free_value: 0, total_value: 1500 }, [cashWithChange, coupon]);
    expect(m.map((x) => [x.field, x.expected])).toEqual([
      ['free_value', 1000],
      ['total_value', 2500],
    ]);
    expect(feeMismatches({ total_value: 3000, prepaid_value: 500 }, [cashWithChange, coupon])).toEqual([]);
  });
});
