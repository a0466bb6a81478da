/**
 * Header mappings a manager made by hand, remembered per set of headers (headersKey) in the data folder, so the
 * next file laid out the same way is read the same way: a preference, kept as electron-store keeps the desktop
 * program's others, through its own base `conf` (`import-mappings.json`; this runs in the backend thread and the
 * command line, where electron-store itself cannot load). Written whole and atomically: a power cut leaves the old
 * file or the new one; a file that does not read is started afresh (only the convenience is lost, said in the log).
 */
import Conf from 'conf';
import type { ImportMapping } from '../../shared/contract/vip.ts';
import { logError } from '../services/logger.ts';

const NAME = 'import-mappings';
/** The most header sets kept: the oldest go first. */
const KEEP = 50;

export interface MappingMemory {
  get(key: string): ImportMapping | undefined;
  put(key: string, mapping: ImportMapping): void;
}

export function mappingMemory(dataDir: string): MappingMemory {
  let conf: Conf<Record<string, ImportMapping>> | null = null;
  /** Opened on first use; null when the folder cannot hold it (logged: imports go on without remembering). */
  function store(): Conf<Record<string, ImportMapping>> | null {
    if (conf) return conf;
    try {
      conf = new Conf<Record<string, ImportMapping>>({
        cwd: dataDir,
        configName: NAME,
        accessPropertiesByDotNotation: false, // a header set's key may hold dots
        clearInvalidConfig: true,
      });
    } catch (e) {
      logError(`import.mapping: 打开 ${dataDir}/${NAME}.json`, e);
    }
    return conf;
  }

  return {
    get(key) {
      try {
        const found = store()?.store[key];
        return found && typeof found === 'object' ? found : undefined;
      } catch (e) {
        // An unreadable file: the manager maps this file by hand again; nothing else depends on it.
        logError('import.mapping: 读取', e);
        return undefined;
      }
    },
    put(key, mapping) {
      const s = store();
      if (!s) return;
      try {
        const all = { ...s.store };
        delete all[key];
        all[key] = mapping;
        const keys = Object.keys(all);
        for (const old of keys.slice(0, Math.max(0, keys.length - KEEP))) delete all[old];
        s.store = all;
      } catch (e) {
        // Only the convenience is lost: the import itself goes on with the mapping it was given.
        logError('import.mapping: 保存', e);
      }
    },
  };
}
