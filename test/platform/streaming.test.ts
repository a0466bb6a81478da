/**
 * Images are hashed and uploaded in chunks, never held in memory whole: the memory a child
 * process needs to send a 200 MB image is about what it needs for a 20 MB one.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { tempDir, useSandbox } from '../support/sandbox.ts';

const { sandbox, target } = useSandbox();
const MB = 1024 * 1024;

function writeImage(mb: number): { path: string; md5: string } {
  const path = join(tempDir('big'), `exit-${mb}.jpg`);
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(MB);
  const md5 = createHash('md5');
  for (let i = 0; i < mb; i++) {
    chunk.fill(i % 251);
    writeSync(fd, chunk);
    md5.update(chunk);
  }
  closeSync(fd);
  return { path, md5: md5.digest('hex').toUpperCase() };
}

function upload(image: string): Promise<{ outcome: string; hash: string; growth: number }> {
  const t = target();
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [
        '--expose-gc',
        join(import.meta.dirname, '../support/upload-child.ts'),
        t.baseUrl,
        t.parkUuid,
        t.appSecret,
        image,
      ],
      { encoding: 'utf8', timeout: 60_000 },
      (e, stdout, stderr) => (e ? reject(new Error(stderr || String(e))) : resolve(JSON.parse(stdout))),
    ),
  );
}

it('sends a 200 MB image with about the memory of a 20 MB one', async () => {
  const small = writeImage(20);
  const large = writeImage(200);
  const a = await upload(small.path);
  const b = await upload(large.path);
  expect([a.outcome, b.outcome]).toEqual(['accepted', 'accepted']);
  expect([a.hash, b.hash]).toEqual([small.md5, large.md5]);
  expect(
    sandbox()
      .state()
      .accepted.leave.map((r) => r.files[0]!.size),
  ).toEqual([20 * MB, 200 * MB]);
  // Read whole, the larger file would need at least 180 MB more.
  expect(b.growth - a.growth).toBeLessThan(48 * MB);
}, 90_000);
