// Types for scripts/install-code-server.mjs (a plain Node script, imported by the e2e harness and scripts/start.mjs).
export declare const CODE_SERVER_VERSION: string;
/** ${XDG_CACHE_HOME:-~/.cache}/xavier-lens/code-server-<version>, or XAVIER_LENS_CODE_SERVER_DIR. */
export declare function codeServerDir(): string;
export declare function codeServerBin(): string;
/** True when a finished, verified install is there (its ready marker names this version). */
export declare function isCodeServerInstalled(): boolean;
/** Installs code-server if needed and returns its binary's path; throws when the install fails. */
export declare function ensureCodeServer(options?: { quiet?: boolean }): string;
export function installExtensionArgs(options: { userDataDir: string; extensionsDir: string; vsix: string }): string[];
export function serveArgs(options: { port: number; userDataDir: string; extensionsDir: string; folder: string }): string[];
