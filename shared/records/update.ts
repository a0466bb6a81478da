/** 推送异常放行记录: POST /gate/1.0/parking/internal/update (multipart form). */
import { z } from 'zod';
import { CAR_TYPES, PLATE_COLORS } from './enums.ts';
import { enumOf, opt, req, text, utcTime } from './fields.ts';

/**
 * One abnormal release, with the platform's field names. `park_uuid`, `app_id` and `sign` are
 * not part of a record: they come from the credentials in force when it is sent.
 * Times are UTC strings (yyyy-MM-dd'T'HH:mm:ss'Z'); `flow_no` is the idempotency key.
 */
export const updateRecordSchema = z.strictObject({
  flow_no: req(text(64)),
  parking_serial: req(text(64)),
  plate: req(text(16)),
  plate_color: opt(enumOf(PLATE_COLORS)),
  car_type: opt(enumOf(CAR_TYPES)),
  car_desc: opt(text(64)),
  enter_time: opt(utcTime()),
  leave_time: opt(utcTime()),
  operate_time: req(utcTime()),
  operator: req(text(32)),
  reason: req(text(200)),
});

export type UpdateRecordInput = z.input<typeof updateRecordSchema>;
export type UpdateRecord = z.output<typeof updateRecordSchema>;
