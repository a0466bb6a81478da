/**
 * `node --import ./test/host/fake-electron/register.ts dist/host/main.js`: every `electron` import or require of that
 * process (the bundled main process, electron-store) gets the stand-in in electron.ts. The hooks run in this thread
 * only; the backend's worker thread never imports electron.
 */
import { registerHooks } from 'node:module';

const FAKE = new URL('./electron.ts', import.meta.url).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    return nextResolve(specifier === 'electron' ? FAKE : specifier, context);
  },
});
