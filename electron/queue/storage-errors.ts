/**
 * What a failed disk or database operation means for the person at the booth: one Chinese sentence
 * that names the folder or file and says what to do. Used by the console's toApiError, the CLI and
 * the queue's status. node:sqlite errors carry `errcode` (possibly extended: the low byte is the
 * primary code); fs errors carry `code`.
 */

/** A storage failure already put into words (e.g. the database file was deleted under us). */
export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
  }
}

const SQLITE = { BUSY: 5, LOCKED: 6, READONLY: 8, IOERR: 10, CORRUPT: 11, FULL: 13, CANTOPEN: 14, NOTADB: 26 } as const;

function sqliteCode(e: object): number | null {
  const c = (e as { errcode?: unknown }).errcode;
  return typeof c === 'number' ? c & 0xff : null;
}

function fsCode(e: object): string | null {
  const c = (e as { code?: unknown }).code;
  return typeof c === 'string' ? c : null;
}

/**
 * The sentence for a storage failure, or null when `e` is not one. `where` names the data folder
 * (or the file) in the sentence; without it the error's own path, if any, is used.
 */
export function storageMessage(e: unknown, where?: string): string | null {
  if (e instanceof StorageError) return e.message;
  if (!e || typeof e !== 'object') return null;
  const at = where ?? (e as { path?: unknown }).path ?? '数据目录';
  switch (sqliteCode(e)) {
    case SQLITE.READONLY:
      return `数据目录只读: ${at}。请检查文件夹权限或磁盘, 记录未保存。`;
    case SQLITE.FULL:
      return `磁盘已满: ${at}。请清理磁盘空间后再试, 记录未保存。`;
    case SQLITE.BUSY:
    case SQLITE.LOCKED:
      return `数据库正被另一个程序占用: ${at}。请稍后再试, 或关闭其他打开此数据目录的程序。`;
    case SQLITE.IOERR:
      return `读写数据库失败: ${at}。请检查磁盘 (是否已拔出或损坏), 记录未保存。`;
    case SQLITE.CORRUPT:
    case SQLITE.NOTADB:
      return `数据库文件已损坏: ${at}。请关闭控制台, 从备份恢复 booth.sqlite 后再启动, 记录未保存。`;
    case SQLITE.CANTOPEN:
      return `无法打开数据库: ${at}。请确认数据目录存在且可写, 记录未保存。`;
  }
  switch (fsCode(e)) {
    case 'EROFS':
    case 'EACCES':
    case 'EPERM':
      return `数据目录只读: ${at}。请检查文件夹权限或磁盘, 记录未保存。`;
    case 'ENOSPC':
      return `磁盘已满: ${at}。请清理磁盘空间后再试, 记录未保存。`;
    case 'EBUSY':
      return `数据库正被另一个程序占用: ${at}。请稍后再试。`;
  }
  return null;
}

export function isStorageError(e: unknown): boolean {
  return storageMessage(e) !== null;
}

/** The settings file (settings.json in the data folder) no longer parses, or is not what the console wrote. */
export class SettingsFileError extends StorageError {
  readonly path: string;
  /** Without `message`: the file is not JSON (the sentence for a corrupt file). */
  constructor(path: string, options?: { cause?: unknown; message?: string }) {
    super(
      options?.message ?? `设置文件已损坏: ${path}。请从备份恢复, 或删除它后重新设置 (记录不受影响)。`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'SettingsFileError';
    this.path = path;
  }

  /** The file is JSON but not an object (`[]`, `null`, a string, a number): never taken as fresh settings. */
  static notAnObject(path: string, content: unknown): SettingsFileError {
    return new SettingsFileError(path, {
      message: `设置文件不是设置对象: ${path} (内容为 ${shownValue(content)})。请从备份恢复, 或删除它后重新设置 (记录不受影响)。`,
    });
  }
}

/** One value in the settings file the console refuses: the field's path, the value as found, and why. */
export interface SettingsValueProblem {
  field: string;
  value: unknown;
  message: string;
}

/**
 * The settings file parses, but a value in it does not pass (hand-edited, a typo such as `"prodution"`): the console
 * does not start rather than run on a default the person never chose (the platform above all).
 */
export class SettingsValueError extends SettingsFileError {
  readonly problems: SettingsValueProblem[];
  constructor(path: string, problems: SettingsValueProblem[]) {
    const listed = problems.map((p) => `${p.field} = ${shownValue(p.value)}: ${p.message}`).join('; ');
    super(path, {
      message: `设置文件中有无效的设置项: ${path}。${listed}。请改正或删除该项后重新启动 (记录不受影响)。`,
    });
    this.name = 'SettingsValueError';
    this.problems = problems;
  }
}

/** A value as the file has it (JSON), cut short when long. */
function shownValue(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Reads the settings file's text for conf / electron-store (their `deserialize` option): a leading BOM (the file saved
 * by Windows Notepad) is dropped; anything but a JSON object is a SettingsFileError. Writing stays conf's own (no BOM).
 */
export function settingsFileDeserializer(path: string): (text: string) => Record<string, unknown> {
  return (text) => {
    const value: unknown = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw SettingsFileError.notAnObject(path, value);
    return value as Record<string, unknown>;
  };
}

/** Runs `fn`, turning a JSON parse failure of the settings file at `path` into a SettingsFileError. */
export function readingSettingsFile<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SyntaxError) throw new SettingsFileError(path, { cause: e });
    throw e;
  }
}
