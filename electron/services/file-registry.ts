/**
 * The files a person picked in this run of the console, by handle (shared/contract/host.ts): the preview host
 * registers the bytes the browser sent, the Electron host the path its dialog gave. Handles are random and live
 * as long as the process; only the newest few are kept (a picked spreadsheet is worked on, then left).
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { type FileSource, HOST_FILE_MAX_BYTES, type PickedFile } from '../../shared/contract/host.ts';
import { ConsoleError } from '../console/errors.ts';

/** Enough for an exit's four photo slots picked and re-picked, and a spreadsheet or two. */
const KEEP = 32;

type Entry = { name: string; bytes: Uint8Array } | { name: string; path: string };

/**
 * What a handle stands for, without reading it: the bytes the preview host received, or the path the Electron
 * dialog gave (a 20 MB photo is then streamed, never held whole).
 */
export type OpenedFile = { name: string; bytes: Uint8Array } | { name: string; path: string };

export interface FileRegistry extends FileSource {
  addBytes(name: string, bytes: Uint8Array): PickedFile;
  addPath(path: string): Promise<PickedFile>;
  /** The entry behind a handle (not-found when unknown or dropped). */
  open(handle: string): OpenedFile;
}

/** Whether a host's FileSource can give paths (the registry does; a bare FileSource only reads). */
export function canOpen(files: FileSource): files is FileSource & Pick<FileRegistry, 'open'> {
  return typeof (files as Partial<FileRegistry>).open === 'function';
}

const GONE = '找不到这个文件, 请重新选择文件';

export const FILE_TOO_LARGE = `文件过大: 不能超过 ${HOST_FILE_MAX_BYTES / 1024 / 1024} MB`;

/** A file name as the person sees it: no folders, nothing invisible, not too long. */
function cleanName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed here
  const base = basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '');
  return (base || '未命名文件').slice(0, 120);
}

export function createFileRegistry(): FileRegistry {
  const files = new Map<string, Entry>();

  function add(entry: Entry, size: number): PickedFile {
    const handle = randomBytes(12).toString('base64url');
    files.set(handle, entry);
    while (files.size > KEEP) files.delete(files.keys().next().value!);
    return { handle, name: entry.name, size };
  }

  return {
    addBytes(name, bytes) {
      if (bytes.byteLength > HOST_FILE_MAX_BYTES) throw new ConsoleError('invalid', FILE_TOO_LARGE);
      return add({ name: cleanName(name), bytes }, bytes.byteLength);
    },

    async addPath(path) {
      const s = await stat(path);
      if (!s.isFile()) throw new ConsoleError('invalid', `不是文件: ${basename(path)}`);
      if (s.size > HOST_FILE_MAX_BYTES) throw new ConsoleError('invalid', FILE_TOO_LARGE);
      return add({ name: cleanName(path), path }, s.size);
    },

    open(handle) {
      const entry = files.get(handle);
      if (!entry) throw new ConsoleError('not-found', GONE);
      return entry;
    },

    async read(handle) {
      const entry = files.get(handle);
      if (!entry) throw new ConsoleError('not-found', GONE);
      if ('bytes' in entry) return { name: entry.name, bytes: entry.bytes };
      try {
        return { name: entry.name, bytes: await readFile(entry.path) };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const why =
          code === 'ENOENT' ? '文件已被移动或删除' : code === 'EBUSY' ? '文件正被其他程序占用 (请关闭 Excel)' : code;
        throw new ConsoleError('unavailable', `无法读取文件 ${entry.name}: ${why}, 请重新选择文件`);
      }
    },
  };
}
