// Types for installers.mjs, so TypeScript callers (the front-door test) get checked signatures.
export declare function cleanInstallEnv(env?: NodeJS.ProcessEnv, extra?: Record<string, string>): Record<string, string>;
export declare function installLogDir(base?: string): string;
export declare function runInstall(job: {
  label: string;
  command: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  beforeRetry?: () => void;
  say?: (line: string) => void;
}): void;
export declare function missingDebianPackages(names: string[]): string[];
export declare function ensureDebianPackages(names: string[], options: { why: string; logDir?: string; say?: (line: string) => void }): boolean;
export declare const RUNTIME_DEBIAN_PACKAGES: string[];
