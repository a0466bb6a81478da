// POST /gate/1.0/parking/internal/update: abnormal release record (推送异常放行记录). Success "1001".

import { ApiError, MSG_BAD_SIGN } from '../errors.ts';
import { CAR_TYPES, PLATE_COLORS, isUtcTime } from '../formats.ts';
import { checkFields, readSignedForm, requireFields } from './form.ts';
import type { EndpointContext, Outcome } from './context.ts';

export const UPDATE_PATH = '/gate/1.0/parking/internal/update';
export const UPDATE_SUCCESS = '1001';

const REQUIRED = ['park_uuid', 'flow_no', 'parking_serial', 'plate', 'operate_time', 'operator', 'reason'] as const;
const TIMES = ['operate_time', 'enter_time', 'leave_time'] as const;
const NO_FILES: ReadonlySet<string> = new Set();

export async function handleUpdate({ req, seqno, store }: EndpointContext): Promise<Outcome> {
  const result = await readSignedForm(req, store, NO_FILES);
  if (!result.ok) throw new ApiError(401, '401', MSG_BAD_SIGN, result.hintText);
  const { parkUuid, fields, files } = result.form;

  requireFields(fields, REQUIRED);
  checkFields(fields, TIMES, isUtcTime);
  checkFields(fields, ['plate_color'], (v) => PLATE_COLORS.has(v));
  checkFields(fields, ['car_type'], (v) => CAR_TYPES.has(v));

  const key = fields.flow_no ?? '';
  store.acceptForm('update', parkUuid, key, fields, files, seqno);
  return { httpStatus: 200, code: UPDATE_SUCCESS, message: 'OK', key };
}
