/**
 * Copying a picked photo into the data folder: content-addressed `<MD5>.jpg|png`, JPEG or PNG by the first bytes,
 * at most 10 MB, never a half-written file under the final name, nothing left behind when refused.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  copyImage,
  IMAGE_MAX_BYTES,
  ImageFileError,
  imageKind,
  imagesDir,
  type CopyOptions,
} from '../../electron/images/store.ts';
import { jpeg, md5Upper, png } from './images.ts';

let dir: string;
let data: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'images-store-'));
  data = join(dir, 'data');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const console_: CopyOptions = { imagesOnly: true, nameFor: (md5, kind) => `${md5}.${kind}` };

describe('copyImage', () => {
  it('streams a path into <dataDir>/images/<MD5>.jpg, the copy outliving the original', async () => {
    const bytes = jpeg(300_000);
    const original = join(dir, '出口.jpg');
    writeFileSync(original, bytes);
    const copy = await copyImage(data, { name: '出口.jpg', path: original }, console_);
    expect(copy).toEqual({
      path: join(imagesDir(data), `${md5Upper(bytes)}.jpg`),
      name: '出口.jpg',
      size: bytes.length,
      md5: md5Upper(bytes),
    });
    unlinkSync(original);
    expect(md5Upper(readFileSync(copy.path))).toBe(md5Upper(bytes));
    // Only the copy: no temporary file left beside it.
    expect(readdirSync(imagesDir(data))).toEqual([`${md5Upper(bytes)}.jpg`]);
  });

  it('a PNG from bytes (the preview host) is named .png; the same photo twice is one file', async () => {
    const bytes = png();
    const a = await copyImage(data, { name: 'a.png', bytes }, console_);
    const b = await copyImage(data, { name: 'b.png', bytes }, console_);
    expect(a.path).toBe(b.path);
    expect(a.path.endsWith(`${md5Upper(bytes)}.png`)).toBe(true);
    expect(readdirSync(imagesDir(data))).toHaveLength(1);
  });

  it('refuses what is not JPEG or PNG by its bytes, whatever its name, and leaves nothing behind', async () => {
    const bmp = Buffer.concat([Buffer.from('BM'), Buffer.alloc(5000, 1)]);
    const path = join(dir, 'photo.jpg');
    writeFileSync(path, bmp);
    await expect(copyImage(data, { name: 'photo.jpg', path }, console_)).rejects.toThrow(/不是 JPEG 或 PNG 图片/);
    await expect(copyImage(data, { name: 'x.jpg', bytes: Buffer.from([0xff, 0xd8]) }, console_)).rejects.toThrow(
      ImageFileError,
    );
    expect(readdirSync(imagesDir(data))).toEqual([]);
    expect(imageKind(jpeg())).toBe('jpg');
    expect(imageKind(png())).toBe('png');
  });

  it('refuses a photo over 10 MB (from a path and from bytes); 10 MB exactly is taken', async () => {
    const path = join(dir, 'big.jpg');
    writeFileSync(path, jpeg(IMAGE_MAX_BYTES + 1));
    await expect(copyImage(data, { name: 'big.jpg', path }, console_)).rejects.toThrow(/图片过大.*不能超过 10 MB/);
    await expect(copyImage(data, { name: 'big.jpg', bytes: jpeg(IMAGE_MAX_BYTES + 1) }, console_)).rejects.toThrow(
      /图片过大/,
    );
    writeFileSync(path, jpeg(IMAGE_MAX_BYTES));
    expect((await copyImage(data, { name: 'big.jpg', path }, console_)).size).toBe(IMAGE_MAX_BYTES);
  });

  it('a picked file deleted since: says so in Chinese', async () => {
    await expect(copyImage(data, { name: 'gone.jpg', path: join(dir, 'gone.jpg') }, console_)).rejects.toThrow(
      /无法读取文件 gone.jpg: 文件已被移动或删除/,
    );
  });

  it('the CLI keeps any file, under its own name in a folder of its MD5', async () => {
    const bytes = Buffer.from('not really a jpeg');
    const path = join(dir, 'leave.jpg');
    writeFileSync(path, bytes);
    const copy = await copyImage(
      data,
      { name: 'leave.jpg', path },
      { imagesOnly: false, nameFor: (md5) => `${md5}/leave.jpg` },
    );
    expect(copy.path).toBe(join(imagesDir(data), md5Upper(bytes), 'leave.jpg'));
  });
});
