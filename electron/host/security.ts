/**
 * Electron's security checklist, for every web contents the app ever creates (the console's window, and any other a
 * bug or a devtools session might open): no navigation away from the page, no redirects, no new windows, no
 * <webview> (and no frames: the CSP's frame-src is 'none'), and every permission request and check denied. The
 * window's own webPreferences (context isolation, sandbox, no Node) are in window.ts; the page's
 * Content-Security-Policy in protocol.ts; the IPC sender check in ipc.ts. `remote` does not exist in this Electron
 * and @electron/remote is not a dependency.
 */
import type { App, Session, WebContents } from 'electron';
import { logWarn } from '../services/logger.ts';

/** Blocks navigation, redirects, new windows and webviews in one web contents. */
export function lockDownContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    // A reload is not a navigation; anything else (a link, a form, location = …) would leave the console's page.
    event.preventDefault();
    logWarn('security.navigate', `已阻止页面跳转: ${url.slice(0, 200)}`);
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
    logWarn('security.redirect', `已阻止重定向: ${event.url.slice(0, 200)}`);
  });
  contents.setWindowOpenHandler(({ url }) => {
    logWarn('security.window-open', `已阻止打开新窗口: ${url.slice(0, 200)}`);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logWarn('security.webview', '已阻止 webview');
  });
}

/** Applies lockDownContents to every web contents, as each is created. Call before the first window. */
export function lockDownAllContents(app: Pick<App, 'on'>): void {
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents));
}

/**
 * Denies every permission: camera, notifications, geolocation, clipboard reads and writes … The console needs none
 * (its 复制 button falls back to a hidden text area when the clipboard API is refused). The check handler answers
 * the synchronous checks (navigator.permissions.query, clipboard) that the request handler never sees.
 */
export function denyAllPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
) {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    logWarn('security.permission', `已拒绝权限请求: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}
