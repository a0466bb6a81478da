/** Child process: hashes and uploads one big image as a leave, reporting its own peak memory. */
import { createPlatformClient } from '../../electron/platform/client.ts';
import { prepareRequest } from '../../electron/platform/prepare.ts';
import { leaveRecord } from '../fixtures/records.ts';

const [baseUrl, parkUuid, appSecret, image] = process.argv.slice(2) as [string, string, string, string];
globalThis.gc?.();
const baseline = process.memoryUsage.rss();
let peak = baseline;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
const client = createPlatformClient({ timeoutMs: 30_000 });
const req = await prepareRequest('leave', leaveRecord({ leave_image_file: image }), {
  baseUrl,
  parkUuid,
  appSecret,
  mode: 'integration',
});
const outcome = await client.send(req);
clearInterval(sampler);
client.close();
process.stdout.write(
  JSON.stringify({ outcome: outcome.outcome, hash: req.params.leave_image_hash, growth: peak - baseline }),
);
