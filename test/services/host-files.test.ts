/**
 * The preview host's half of the file capability (POST /files: a picked file's bytes, behind the same token and
 * origin checks as the contract) and the registry both hosts put picked files in.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsole, type BoothConsole } from '../../electron/console/handlers.ts';
import { startPreviewHost, type PreviewHost } from '../../electron/preview/server.ts';
import { createFileRegistry, type FileRegistry } from '../../electron/services/file-registry.ts';
import { openConsoleServices, type ConsoleServices } from '../../electron/services/open.ts';
import { exportPath, writeExport } from '../../electron/services/exports.ts';
import { HOST_FILE_MAX_BYTES, type PickedFile } from '../../shared/contract/host.ts';
import type { ApiResult } from '../../shared/contract/api.ts';

describe('POST /files on the preview host', () => {
  // The host alone, without a built page: only its /files door is tried here.
  const stack = {} as {
    dir: string;
    services: ConsoleServices;
    console: BoothConsole;
    host: PreviewHost;
    files: FileRegistry;
  };
  beforeAll(async () => {
    stack.dir = mkdtempSync(join(tmpdir(), 'booth-files-host-'));
    stack.services = await openConsoleServices({ dataDir: stack.dir, embeddedSandbox: false });
    stack.files = createFileRegistry();
    stack.console = createConsole(stack.services, { files: stack.files });
    stack.host = await startPreviewHost({ console: stack.console, staticDir: stack.dir, files: stack.files });
  });
  afterAll(async () => {
    await stack.host.close();
    stack.console.close();
    await stack.services.close();
    rmSync(stack.dir, { recursive: true, force: true });
  });

  const upload = (body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${stack.host.origin}/files`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'x-booth-token': stack.host.token,
        'x-file-name': encodeURIComponent('三月续费.csv'),
        ...headers,
      },
      body,
    });

  it('keeps the bytes under a handle the contract then reads', async () => {
    const res = await upload(new Uint8Array([1, 2, 3]));
    const reply = (await res.json()) as ApiResult<PickedFile>;
    expect(reply).toMatchObject({ ok: true, value: { name: '三月续费.csv', size: 3 } });
    const handle = (reply as { value: PickedFile }).value.handle;
    expect([...(await stack.files.read(handle)).bytes]).toEqual([1, 2, 3]);
  });

  it('refuses without the token, from another origin, and as JSON', async () => {
    expect((await upload('x', { 'x-booth-token': 'wrong' })).status).toBe(401);
    expect((await upload('x', { origin: 'http://evil.example' })).status).toBe(403);
    expect((await upload('x', { 'content-type': 'application/json' })).status).toBe(415);
  });

  it('refuses a file over the limit, saying so', async () => {
    const res = await upload(new Uint8Array(HOST_FILE_MAX_BYTES + 1));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/文件过大/);
  });
});

describe('the file registry', () => {
  it('a folder in the name is dropped; an unknown handle is a plain error', async () => {
    const files = createFileRegistry();
    const picked = files.addBytes('C:\\Users\\王\\Desktop\\续费.xlsx', new Uint8Array([9]));
    expect(picked.name).toBe('续费.xlsx');
    await expect(files.read('nope')).rejects.toThrow(/重新选择文件/);
  });

  it('a path: read when asked, and a file removed since is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'booth-files-'));
    try {
      const path = join(dir, 'a.csv');
      writeFileSync(path, 'x');
      const files = createFileRegistry();
      const picked = await files.addPath(path);
      expect((await files.read(picked.handle)).bytes.length).toBe(1);
      rmSync(path);
      await expect(files.read(picked.handle)).rejects.toThrow(/已被移动或删除/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps only the newest few', () => {
    const files = createFileRegistry();
    const first = files.addBytes('a.csv', new Uint8Array([1]));
    for (let i = 0; i < 40; i++) files.addBytes(`b${i}.csv`, new Uint8Array([1]));
    return expect(files.read(first.handle)).rejects.toThrow();
  });
});

describe('GET /exports/<handle> on the preview host', () => {
  const dir = mkdtempSync(join(tmpdir(), 'booth-exports-host-'));
  let host: PreviewHost;
  beforeAll(async () => {
    const noConsole = {
      call: () => Promise.resolve({ ok: true, value: null } as ApiResult<unknown>),
      subscribe: () => () => undefined,
    };
    host = await startPreviewHost({
      console: noConsole,
      staticDir: join(dir, 'page'),
      exportPath: (handle) => exportPath(dir, handle),
      logFolder: join(dir, 'logs'),
    });
  });
  afterAll(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams an export with its Chinese name, needs the token, and deletes it once sent', async () => {
    const file = await writeExport(dir, { filename: '推送日志.csv', mime: 'text/csv' }, ['\uFEFF日志号\r\n', '1\r\n']);
    const url = `${host.origin}/exports/${file.handle}?name=${encodeURIComponent('推送日志.csv')}`;
    expect((await fetch(url)).status).toBe(401);
    const res = await fetch(`${url}&token=${host.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('推送日志.csv')}`);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())).toBe('\uFEFF日志号\r\n1\r\n');
    await expect.poll(() => existsSync(exportPath(dir, file.handle)!)).toBe(false);
    // Asked again: gone, said in words.
    const again = await fetch(`${url}&token=${host.token}`);
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: { message: string } }).error.message).toContain('请重新导出');
  });

  it('refuses anything that is not a handle (no path out of the exports folder)', async () => {
    writeFileSync(join(dir, 'settings.json'), '{}');
    for (const bad of ['..%2Fsettings.json', '..%5Csettings.json', 'ABCDEF', `${'a'.repeat(32)}%2F..`]) {
      const res = await fetch(`${host.origin}/exports/${bad}?token=${host.token}`);
      expect(res.status, bad).toBe(404);
    }
  });

  it('says where the log folder is (a browser opens no folder)', async () => {
    const res = await fetch(`${host.origin}/host/openLogFolder`, {
      method: 'POST',
      headers: { 'x-booth-token': host.token },
    });
    const reply = (await res.json()) as ApiResult<{ saved: boolean; message: string }>;
    expect(reply).toMatchObject({ ok: true, value: { saved: false } });
    expect(reply.ok && reply.value.message).toContain(join(dir, 'logs'));
  });
});
