/**
 * Header mappings a manager made by hand, remembered per set of headers (headersKey) in the data folder, so the
 * next file laid out the same way is read the same way. A small JSON file, replaced whole (written beside and
 * renamed): a power cut leaves the old file or the new one, never half of one. Losing it loses only convenience.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportMapping } from '../../shared/contract/vip.ts';
import { logError } from '../services/logger.ts';

const FILE = 'import-mappings.json';
/** The most header sets kept: the oldest go first. */
const KEEP = 50;

export interface MappingMemory {
  get(key: string): ImportMapping | undefined;
  put(key: string, mapping: ImportMapping): void;
}

export function mappingMemory(dataDir: string): MappingMemory {
  const path = join(dataDir, FILE);

  function load(): Record<string, ImportMapping> {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') logError(`import.mapping: 读取 ${path}`, e);
      return {};
    }
    try {
      const data = JSON.parse(text) as unknown;
      return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, ImportMapping>) : {};
    } catch (e) {
      logError(`import.mapping: ${path} 已损坏, 将重新记录`, e);
      return {};
    }
  }

  return {
    get(key) {
      const found = load()[key];
      return found && typeof found === 'object' ? found : undefined;
    },
    put(key, mapping) {
      const all = load();
      delete all[key];
      all[key] = mapping;
      const keys = Object.keys(all);
      for (const old of keys.slice(0, Math.max(0, keys.length - KEEP))) delete all[old];
      const tmp = `${path}.tmp`;
      try {
        writeFileSync(tmp, JSON.stringify(all, null, 2));
        renameSync(tmp, path);
      } catch (e) {
        // Only the convenience is lost: the import itself goes on with the mapping it was given.
        logError(`import.mapping: 保存 ${path}`, e);
      }
    },
  };
}
