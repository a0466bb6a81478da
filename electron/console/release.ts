/** The abnormal-release form, checked, becomes an update record with the platform's field names. */
import { releaseReason, type ReleaseForm } from '../../shared/contract/release-form.ts';
import { formatUtc } from '../../shared/records/time.ts';

/** Without flow_no: the queue mints it in the commit that stores the record. */
export function releaseToRecord(form: ReleaseForm, ids: { operator: string }): Record<string, string> {
  const record: Record<string, string> = {
    parking_serial: form.parkingSerial,
    plate: form.plate,
    operate_time: formatUtc(form.operateTime),
    operator: ids.operator,
    reason: releaseReason(form),
  };
  if (form.plateColor) record.plate_color = form.plateColor;
  if (form.carType) record.car_type = form.carType;
  if (form.carDesc) record.car_desc = form.carDesc;
  if (form.enterTime != null) record.enter_time = formatUtc(form.enterTime);
  if (form.leaveTime != null) record.leave_time = formatUtc(form.leaveTime);
  return record;
}
