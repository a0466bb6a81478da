/** The three pushes of the 4pyun gate API this console sends, as one table. */
import type { z } from 'zod';
import { parseOrThrow } from '../records/fields.ts';
import { leaveRecordSchema, type LeaveRecord } from '../records/leave.ts';
import { updateRecordSchema, type UpdateRecord } from '../records/update.ts';
import { duplicatePayPartners, vipBatchSchema, type VipBatch } from '../records/vip-recharge.ts';

export const ENDPOINT_NAMES = ['update', 'leave', 'vip-recharge'] as const;
export type Endpoint = (typeof ENDPOINT_NAMES)[number];

export interface EndpointInfo {
  path: string;
  body: 'form' | 'json';
  /** Codes that mean the platform took the record (its pages differ per endpoint). */
  successCodes: readonly string[];
  /** The field that makes a repeat harmless (for vip-recharge: per row). */
  keyField: 'flow_no' | 'parking_serial' | 'pay_partner';
  label: string;
}

export const ENDPOINTS: Record<Endpoint, EndpointInfo> = {
  update: {
    path: '/gate/1.0/parking/internal/update',
    body: 'form',
    successCodes: ['1001', '200', '1000'],
    keyField: 'flow_no',
    label: '异常放行',
  },
  leave: {
    path: '/gate/1.0/parking/internal/leave',
    body: 'form',
    // The vendor's leave sample: "该接口返回code取值200、1001、1000均表示上传成功".
    successCodes: ['200', '1001', '1000'],
    keyField: 'parking_serial',
    label: '离场补推',
  },
  'vip-recharge': {
    path: '/gate/1.0/parking/internal/vip/recharge',
    body: 'json',
    successCodes: ['1001'],
    keyField: 'pay_partner',
    label: '固定车续费',
  },
};

export interface RecordOf {
  update: UpdateRecord;
  leave: LeaveRecord;
  'vip-recharge': VipBatch;
}

const schemas: Record<Endpoint, z.ZodType> = {
  update: updateRecordSchema,
  leave: leaveRecordSchema,
  'vip-recharge': vipBatchSchema,
};

/** Validates a record for an endpoint; throws RecordError naming every bad field. */
export function parseRecord<E extends Endpoint>(endpoint: E, input: unknown): RecordOf[E] {
  return parseOrThrow(
    schemas[endpoint],
    input,
    endpoint === 'vip-recharge' ? duplicatePayPartners : undefined,
  ) as RecordOf[E];
}

/** The platform's production and integration hosts (unreachable from the build machines). */
export const PLATFORM_HOSTS = {
  production: 'https://api.4pyun.com',
  integration: 'https://dev-api.4pyun.com',
} as const;
