/** The renewal's fields as the manager sees them: labels (the template's column names) and the form's order. */
import type { RenewalField } from '../../../shared/records/renewal.ts';

export {
  isRenewalField,
  RENEWAL_FIELD_LABELS,
  RENEWAL_FIELDS,
  renewalFieldLabel as fieldLabel,
} from '../../../shared/records/renewal.ts';

/** The fields of the form as they stand on the screen: the first bad one takes the focus. */
export const FORM_ORDER = [
  'plate',
  'plate_color',
  'vip_type',
  'quantity',
  'start_day',
  'end_day',
  'value',
  'pay_value',
  'pay_type',
  'pay_time',
  'charge_type',
  'pay_partner',
  'card_no',
  'card_id',
] as const satisfies readonly RenewalField[];
export type FormField = (typeof FORM_ORDER)[number];
