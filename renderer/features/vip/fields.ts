/** The renewal's fields as the manager sees them: labels (the template's column names) and the form's order. */
import { RENEWAL_FIELD_LABELS, type RenewalField } from '../../../shared/records/renewal.ts';

export { RENEWAL_FIELD_LABELS } from '../../../shared/records/renewal.ts';

export const RENEWAL_FIELDS = Object.keys(RENEWAL_FIELD_LABELS) as RenewalField[];

export function isRenewalField(field: string): field is RenewalField {
  return field in RENEWAL_FIELD_LABELS;
}

export const fieldLabel = (field: string): string => (isRenewalField(field) ? RENEWAL_FIELD_LABELS[field] : field);

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
