// Types for vscode-server.mjs, so TypeScript callers (the e2e test) get checked signatures.
export declare const CODE_SERVER_VERSION: string;
export declare const NODE24_VERSION: string;
export declare const QUIET_WORKBENCH_SETTINGS: Record<string, unknown>;
export declare function vscodeCacheDir(): string;
/** Installs `spec` into `dir` unless already complete; returns a function that marks it complete, or false. */
export declare function ensureNpmInstall(
  dir: string,
  spec: string,
  options?: { env?: NodeJS.ProcessEnv; extraArgs?: string[]; packageJson?: Record<string, unknown> },
): false | (() => void);
export declare function ensureVsCodeServer(): Promise<{ node24: string; entry: string; cacheDir: string }>;
export declare function freePort(): Promise<number>;
export declare function portIsFree(port: number): Promise<boolean>;
export interface StartVsCodeServerOptions {
  workspace: string;
  extensionsDir: string;
  userDataDir: string;
  port?: number;
  env?: Record<string, string | undefined>;
  /** Where the server's stdout and stderr go; defaults to `<userDataDir>.log`. */
  logFile?: string;
  /** Written as the user's settings.json before the server starts. */
  settings?: Record<string, unknown>;
  timeoutMs?: number;
}
export interface RunningVsCodeServer {
  url: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}
export declare function startVsCodeServer(options: StartVsCodeServerOptions): Promise<RunningVsCodeServer>;
export declare function findChromium(): string;
