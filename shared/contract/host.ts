/**
 * What only a host can do for the page: pick a file and save one. Electron shows its own dialogs (the path stays in
 * the main process); the preview host uses the browser's file input (the bytes are sent to the host) and its
 * downloads. Either way the page gets a handle, and the contract's methods take that handle (`file`): the main
 * process reads the file through the host's FileSource and never knows which host it serves.
 */

export interface PickedFile {
  /** Names the file in contract calls (checkVipImport, commitVipImport …) for this run of the console. */
  handle: string;
  name: string;
  size: number;
}

export interface SaveResult {
  saved: boolean;
  /** For the person: where it went (a folder, or the browser's download folder). */
  message: string;
}

export interface PickOptions {
  title: string;
  /** Extensions without the dot: xlsx, csv. */
  extensions: string[];
}

/**
 * A file the main process wrote into its data folder (`<data>/exports/<handle>`) for the person to keep: the push log
 * as CSV, the support logs. Large ones never cross the process boundary as a string: the host copies the file where
 * the person chooses (Electron's save dialog) or streams it as a download (preview host, `GET /exports/<handle>`).
 */
export interface ExportFile {
  /** 32 lower-case hex characters: the file's name under `<data>/exports/`. */
  handle: string;
  /** What it is called when saved (Chinese allowed). */
  filename: string;
  mime: string;
  bytes: number;
}

export const EXPORT_HANDLE = /^[0-9a-f]{32}$/;
/** Exports not saved within this long are deleted (at the backend's start and daily). */
export const EXPORT_KEEP_MS = 24 * 3600 * 1000;

/** The page's side (renderer/binding.ts gives one per host). */
export interface HostFiles {
  /** Null when the person closed the dialog without choosing. */
  pickFile(options: PickOptions): Promise<PickedFile | null>;
  saveFile(file: { filename: string; mime: string; base64: string }): Promise<SaveResult>;
  /** Saves a file the main process exported (ExportFile); the export is deleted once saved. */
  saveExport(file: ExportFile): Promise<SaveResult>;
  /** Opens the folder of the console's log files in Explorer (the preview host says where it is instead). */
  openLogFolder(): Promise<SaveResult>;
}

/** The main process's side: the file behind a handle. */
export interface FileSource {
  read(handle: string): Promise<{ name: string; bytes: Uint8Array }>;
}

/** Preload and IPC names of the Electron host's file capability (the preview host uses POST /files). */
export const HOST_PICK_CHANNEL = 'booth-host:pickFile';
export const HOST_SAVE_CHANNEL = 'booth-host:saveFile';
export const HOST_SAVE_EXPORT_CHANNEL = 'booth-host:saveExport';
export const HOST_OPEN_LOG_FOLDER_CHANNEL = 'booth-host:openLogFolder';

/** Where the console's own log files are, under the data folder (electron/services/log-file.ts writes them). */
export const LOG_FOLDER = 'logs';

/**
 * Something the host did on its own that the status bar says (the page cannot see it otherwise): the backend thread
 * stopped and was restarted, the window's page crashed and was reloaded.
 */
export interface HostNotice {
  id: number;
  at: number;
  kind: 'backend-restarted' | 'backend-failed' | 'renderer-reloaded';
  /** One sentence in Chinese: what happened and that no record was lost (or what to do). */
  message: string;
}
/** The largest spreadsheet a host takes (20,000 rows of the template are about 2 MB). */
export const HOST_FILE_MAX_BYTES = 50 * 1024 * 1024;
