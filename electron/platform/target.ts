/** Where and as whom a record is sent: the credentials in force at the moment of the attempt. */
import type { PlatformMode } from '../../shared/platform/outcome.ts';

export interface PlatformTarget {
  /** e.g. https://api.4pyun.com or the embedded sandbox's http://127.0.0.1:PORT */
  baseUrl: string;
  parkUuid: string;
  appSecret: string;
  /** Not needed for requests made from the car park itself. */
  appId?: string;
  /** Sent with app_id on leave (the vendor: api_type goes with app_id). */
  apiType?: string;
  /** Send every value URL-encoded, with encoding=URL. */
  encodingUrl?: boolean;
  mode: PlatformMode;
}

export function endpointUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}
