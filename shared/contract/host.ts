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

/** The page's side (renderer/binding.ts gives one per host). */
export interface HostFiles {
  /** Null when the person closed the dialog without choosing. */
  pickFile(options: PickOptions): Promise<PickedFile | null>;
  saveFile(file: { filename: string; mime: string; base64: string }): Promise<SaveResult>;
}

/** The main process's side: the file behind a handle. */
export interface FileSource {
  read(handle: string): Promise<{ name: string; bytes: Uint8Array }>;
}

/** Preload and IPC names of the Electron host's file capability (the preview host uses POST /files). */
export const HOST_PICK_CHANNEL = 'booth-host:pickFile';
export const HOST_SAVE_CHANNEL = 'booth-host:saveFile';
/** The largest spreadsheet a host takes (20,000 rows of the template are about 2 MB). */
export const HOST_FILE_MAX_BYTES = 50 * 1024 * 1024;
