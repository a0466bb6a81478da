/** 推送异常放行记录: POST /gate/1.0/parking/internal/update (multipart form). */
import { z } from 'zod';
import { CAR_TYPES, PLATE_COLORS } from './enums.ts';
import { enumOf, keyText, opt, plate, req, text, utcEndNotBefore, utcTime } from './fields.ts';

/**
 * One abnormal release, with the platform's field names. `park_uuid`, `app_id` and `sign` are
 * not part of a record: they come from the credentials in force when it is sent.
 * Times are UTC strings (yyyy-MM-dd'T'HH:mm:ss'Z'); `flow_no` is the idempotency key.
 * The plate is free text on the vendor's page; we hold it to the booth form's rule (无牌车 allowed).
 */
export const updateRecordSchema = z
  .strictObject({
    flow_no: req(keyText(64)),
    parking_serial: req(keyText(64)),
    plate: req(plate({ noPlate: true })),
    plate_color: opt(enumOf(PLATE_COLORS)),
    car_type: opt(enumOf(CAR_TYPES)),
    car_desc: opt(text(64)),
    enter_time: opt(utcTime()),
    leave_time: opt(utcTime()),
    operate_time: req(utcTime()),
    operator: req(text(32)),
    reason: req(text(200)),
  })
  .superRefine(utcEndNotBefore('enter_time', 'leave_time', '离场时间不能早于入场时间'));

export type UpdateRecordInput = z.input<typeof updateRecordSchema>;
export type UpdateRecord = z.output<typeof updateRecordSchema>;
