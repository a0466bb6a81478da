/** MD5 of an image file, streamed in chunks: a 20 MB photo is never held in memory whole. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';

export interface FileDigest {
  size: number;
  md5: string;
}

export async function hashFile(path: string): Promise<FileDigest> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error('不是文件');
  const hash = createHash('md5');
  let size = 0;
  await pipeline(createReadStream(path, { highWaterMark: 256 * 1024 }), async function* (chunks) {
    for await (const chunk of chunks as AsyncIterable<Buffer>) {
      size += chunk.length;
      hash.update(chunk);
    }
    yield* [];
  });
  return { size, md5: hash.digest('hex').toUpperCase() };
}
