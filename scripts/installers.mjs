// The installs the front door does for a newcomer (npm packages, Debian packages), run the way a user would run them
// and reported so that a failure can be read. Plain Node ESM on purpose: it runs before `npm install` has happened.
//
// Why each install runs in a cleaned environment: `npm start` and `npm run test:all` run these scripts *through npm*,
// which exports its own configuration to every child as `npm_config_*` (and `npm_package_*`, `npm_lifecycle_*`, ...).
// A nested `npm install` then inherits the outer npm's settings, and install scripts read them: code-server's
// postinstall reads the Node version from `npm_config_user_agent` ("node/v20") and refuses, although the install runs
// on Node 24. Nothing of the outer npm belongs in an install of another project, so none of it passes.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Variables npm sets for the scripts it runs; they describe the outer run, never a nested install. */
const NPM_RUN_VARIABLE = /^(npm_|NPM_CONFIG_)/i;
const NPM_RUN_NAMES = new Set(['INIT_CWD', 'NODE', 'NODE_ENV_NPM', 'PREFIX', 'COLOR', 'EDITOR_NPM']);

/**
 * `env` without what an outer `npm run` exported; `extra` is laid over the result.
 * @param {NodeJS.ProcessEnv} [env]
 * @param {Record<string, string>} [extra]
 * @returns {Record<string, string>}
 */
export function cleanInstallEnv(env = process.env, extra = {}) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || NPM_RUN_VARIABLE.test(key) || NPM_RUN_NAMES.has(key)) continue;
    out[key] = value;
  }
  // npm adds its own bin folders (node_modules/.bin of the outer project, npm's node-gyp-bin) to PATH for scripts:
  // a nested install must not pick the outer project's tools.
  if (typeof out.PATH === 'string') {
    out.PATH = out.PATH.split(':')
      .filter((p) => !/node_modules[\\/]\.bin$/.test(p) && !/node-gyp-bin$/.test(p))
      .join(':');
  }
  return { ...out, ...extra };
}

/**
 * The machine's npm configuration as a nested install must see it. An install with `--prefix DIR` looks for the global
 * npmrc under DIR, not under npm's own prefix, so the machine's registry settings (its `cafile` for a TLS proxy, its
 * registry) would be lost; the path npm itself uses is asked once, without a prefix, and passed on explicitly.
 * @returns {Record<string, string>}
 */
export function machineNpmConfig() {
  if (machineConfig === undefined) {
    // What npm itself would use: the outer npm's own setting when there is one, else npm's default, the `etc/npmrc`
    // of the prefix above the Node binary (no npm is run for this: the setup's tests count npm's invocations).
    const prefix = process.env.PREFIX || dirname(dirname(process.execPath));
    const path = process.env.npm_config_globalconfig || join(prefix, 'etc', 'npmrc');
    machineConfig = existsSync(path) ? { npm_config_globalconfig: path } : {};
  }
  return machineConfig;
}
/** @type {Record<string, string> | undefined} */
let machineConfig;

/**
 * Where install logs go: beside the cache when one is named, else under the user's cache folder.
 * @param {string} [base]
 */
export function installLogDir(base) {
  const dir = base ?? join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tiller', 'logs');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Output of a failed fetch from a registry: worth one more try. Anything else fails at once. */
const NETWORK_FAILURE =
  /\b(ECONNRESET|ETIMEDOUT|ECONNREFUSED|EAI_AGAIN|ENOTFOUND|ESOCKETTIMEDOUT|EPIPE|socket hang up|network|fetch failed|Temporary failure resolving|Could not connect|Connection timed out|Hash Sum mismatch|E50[0-9]|50[234] (Bad Gateway|Service Unavailable|Gateway Time-out))\b/i;

/** @param {string} file @param {number} lines */
function tail(file, lines) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(the log could not be read)';
  }
}

/**
 * Runs an install command with its output in `logFile` (appended: a retry keeps the first try's output). A failure
 * throws an error that names the command, the log and its last lines, since output inherited under a test runner is
 * often lost. A failure that looks like a registry fetch is retried once after `beforeRetry`.
 * @param {{ label: string; command: string; args: string[]; logFile: string; env?: NodeJS.ProcessEnv; cwd?: string; beforeRetry?: () => void; say?: (line: string) => void }} job
 */
export function runInstall({ label, command, args, logFile, env, cwd, beforeRetry, say = (line) => console.log(line) }) {
  mkdirSync(dirname(logFile), { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const fd = openSync(logFile, 'a');
    const header = `\n=== ${new Date().toISOString()} attempt ${attempt}: ${command} ${args.join(' ')}${cwd ? ` (in ${cwd})` : ''}\n`;
    try {
      // Header first, then the child's own output into the same descriptor.
      writeSync(fd, header);
      const result = spawnSync(command, args, { env, cwd, stdio: ['ignore', fd, fd] });
      if (result.error) throw new Error(`${label}: could not run ${command}: ${result.error.message} (log: ${logFile})`);
      if (result.status === 0) return;
      const last = tail(logFile, 25);
      if (attempt === 1 && NETWORK_FAILURE.test(last)) {
        say(`${label} failed with what looks like a registry fetch error; trying once more (log: ${logFile})`);
        beforeRetry?.();
        continue;
      }
      throw new Error(`${label} failed (${command} exited with ${result.status ?? result.signal}). Log: ${logFile}\n--- last lines of the log ---\n${last}`);
    } finally {
      closeSync(fd);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Debian packages

/**
 * What Tiller itself runs with, beside code-server's own list: bubblewrap is the sandbox every command runs in, socat
 * and ripgrep are what the sandbox's network bridge and the search tool use, git is the workspaces' history and the
 * checkpoints. `npm start` and the test command install the same list, so a demo runs as the tests do.
 */
export const RUNTIME_DEBIAN_PACKAGES = ['bubblewrap', 'socat', 'ripgrep', 'git'];

/** @param {string[]} names */
export function missingDebianPackages(names) {
  return names.filter((name) => spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).stdout?.includes('install ok installed') !== true);
}

/**
 * Installs the Debian packages in `names` that are missing, with apt-get (through `sudo -n` when not root). `why`
 * says what they are for in the messages. Without root or sudo the error gives the exact commands to run.
 * @param {string[]} names
 * @param {{ why: string; logDir?: string; say?: (line: string) => void }} options
 * @returns {boolean} whether anything was installed
 */
export function ensureDebianPackages(names, { why, logDir, say = (line) => console.log(line) }) {
  const missing = missingDebianPackages(names);
  if (missing.length === 0) return false;
  // Another apt run may hold the lock (a second setup, unattended upgrades): wait for it rather than fail at once.
  const update = ['apt-get', '-o', 'DPkg::Lock::Timeout=600', 'update'];
  const install = ['apt-get', 'install', '-y', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=600', ...missing];
  /** @type {string[]} */
  let prefix = [];
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    if (spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status !== 0) {
      throw new Error(`missing Debian packages for ${why}: ${missing.join(' ')}. Run as root:\n  ${update.join(' ')} && ${install.join(' ')}`);
    }
    prefix = ['sudo', '-n'];
  }
  const started = Date.now();
  const logFile = join(installLogDir(logDir), `apt-${Date.now()}.log`);
  say(`installing Debian packages for ${why}: ${missing.join(' ')} (log: ${logFile})`);
  const env = { ...cleanInstallEnv(), DEBIAN_FRONTEND: 'noninteractive' };
  const run = (/** @type {string} */ label, /** @type {string[]} */ argv) =>
    runInstall({ label, command: argv[0] ?? 'apt-get', args: argv.slice(1), logFile, env, say });
  run('apt-get update', [...prefix, ...update]);
  run(`apt-get install ${missing.join(' ')}`, [...prefix, ...install]);
  const still = missingDebianPackages(missing);
  if (still.length) throw new Error(`apt-get finished but these packages are still missing: ${still.join(' ')} (log: ${logFile})`);
  say(`Debian packages installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}
