// The platform's answers that are not a success, as values an endpoint can throw.

export class ApiError extends Error {
  readonly httpStatus: number;
  readonly code: string;
  readonly hint: string | undefined;

  constructor(httpStatus: number, code: string, message: string, hint?: string) {
    super(message);
    this.httpStatus = httpStatus;
    this.code = code;
    this.hint = hint;
  }
}

export const MSG_BAD_PARAM = '请求参数错误';
export const MSG_BAD_SIGN = '请求签名校验不通过';
export const MSG_BLOCKED = '访问被拦截';

/** 400: a required parameter is missing (or empty). */
export function missingParam(field: string): ApiError {
  return new ApiError(400, '400', MSG_BAD_PARAM, `参数\`${field}\`未传递`);
}

/** 400: a parameter is present but malformed. */
export function badParam(field: string): ApiError {
  return new ApiError(400, '400', MSG_BAD_PARAM, `参数\`${field}\`格式错误`);
}

/** 400: the body as a whole could not be read. */
export function badBody(hint: string): ApiError {
  return new ApiError(400, '400', MSG_BAD_PARAM, hint);
}

export function unknownPark(parkUuid: string): ApiError {
  return new ApiError(403, '403', MSG_BLOCKED, `参数\`park_uuid\`(${parkUuid})未登记, 停车场未授权访问`);
}

/** Default message for a code, as the vendor pages word them. */
export function defaultMessage(code: string): string {
  switch (code) {
    case '200':
    case '1000':
    case '1001':
      return 'OK';
    case '400':
      return MSG_BAD_PARAM;
    case '401':
      return MSG_BAD_SIGN;
    case '403':
      return MSG_BLOCKED;
    case '404':
      return '请求资源不存在';
    case '500':
      return '服务器内部错误';
    case '503':
      return '服务暂不可用';
    default:
      return '沙箱模拟故障';
  }
}
