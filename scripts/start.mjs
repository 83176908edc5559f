// `npm start`: Tiller in a real VS Code from one command. Builds the extension, makes sure code-server is installed
// (cached outside the repo), installs Tiller into a fresh extensions dir, opens a throwaway copy of the sample workspace
// and serves VS Code on 127.0.0.1 until Ctrl+C.
//
//   npm start                 serve until Ctrl+C
//   npm start -- --smoke      exit 0 once the page answers (used by tests and CI)
//   TILLER_PORT=9000 npm start  serve on that port (checked before anything is built; a busy port is an error)
//
// The environment passes through to the extension host, so TILLER_BASE_URL, TILLER_MODEL, TILLER_SMALL_MODEL and
// TILLER_API_KEY (or OPENAI_API_KEY) configure the model when the tiller.* settings are empty.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { RUNTIME_DEBIAN_PACKAGES, cleanInstallEnv, ensureDebianPackages, installLogDir, runInstall } from './installers.mjs';
import { REPO_ROOT, buildExtension, copySampleWorkspace, installUnpackedExtension } from './extension-install.mjs';
import { QUIET_WORKBENCH_SETTINGS, ensureVsCodeServer, freePort, portIsFree, startVsCodeServer } from './vscode-server.mjs';

const DEFAULT_PORT = 8765;
const smoke = process.argv.includes('--smoke');

/** @param {string} message */
function say(message) {
  console.log(`[start] ${message}`);
}

/** TILLER_PORT when set (must be valid and free), else 8765 when free, else any free port. */
async function choosePort() {
  const requested = process.env.TILLER_PORT;
  if (requested !== undefined && requested !== '') {
    const port = Number(requested);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`TILLER_PORT must be a port number, got "${requested}"`);
    if (!(await portIsFree(port))) throw new Error(`TILLER_PORT=${port} is already in use on 127.0.0.1`);
    return port;
  }
  if (await portIsFree(DEFAULT_PORT)) return DEFAULT_PORT;
  const port = await freePort();
  say(`port ${DEFAULT_PORT} is busy; using ${port}`);
  return port;
}

/** One line about the model the extension will find in the environment; never prints the key. */
function describeModelEnvironment() {
  const env = process.env;
  const key = env.TILLER_API_KEY ? 'TILLER_API_KEY' : env.OPENAI_API_KEY ? 'OPENAI_API_KEY' : undefined;
  if (!env.TILLER_BASE_URL && !env.TILLER_MODEL) {
    return 'Model: none in the environment. Set TILLER_BASE_URL, TILLER_MODEL and TILLER_API_KEY (or OPENAI_API_KEY) before `npm start`, or fill in the tiller.* settings in VS Code.';
  }
  const parts = [
    `model ${env.TILLER_MODEL ?? '(TILLER_MODEL not set)'}`,
    env.TILLER_SMALL_MODEL ? `small model ${env.TILLER_SMALL_MODEL}` : undefined,
    `at ${env.TILLER_BASE_URL ?? '(TILLER_BASE_URL not set: the default endpoint)'}`,
    key ? `key from ${key}` : 'no API key set',
  ].filter(Boolean);
  return `Model from the environment: ${parts.join(', ')}.`;
}

/**
 * @param {string} url
 * @returns {Promise<number>}
 */
function pageStatus(url) {
  return new Promise((resolve, reject) => {
    const request = httpGet(url, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.setTimeout(10_000, () => request.destroy(new Error(`no answer from ${url} in 10 s`)));
  });
}

async function main() {
  const started = Date.now();
  // The port first: a busy TILLER_PORT must fail before anything is built, copied or installed, so it leaves nothing.
  const port = await choosePort();
  if (!existsSync(join(REPO_ROOT, 'node_modules'))) {
    // `npm ci` from the lock file, as the test command does; its output goes to a log that a failure names.
    say('node_modules is missing; running npm ci');
    runInstall({
      label: 'npm ci',
      command: 'npm',
      args: ['ci', '--no-audit', '--no-fund'],
      cwd: REPO_ROOT,
      env: cleanInstallEnv(),
      logFile: join(installLogDir(), `npm-ci-${Date.now()}.log`),
      say,
    });
  }
  ensureDebianPackages(RUNTIME_DEBIAN_PACKAGES, { why: "Tiller's sandbox and search", say });
  say('building the extension');
  buildExtension();
  if (!existsSync(join(REPO_ROOT, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js was not built, so there is no extension to run yet');
  }
  const { cacheDir } = await ensureVsCodeServer();

  // Every run gets its own extensions and user-data dirs so state from a previous run never leaks in. Both, and the
  // workspace copy, are removed on every way out, a failed start included.
  const runsDir = join(cacheDir, 'runs');
  mkdirSync(runsDir, { recursive: true });
  const runDir = mkdtempSync(join(runsDir, 'start-'));
  /** @type {string | undefined} */
  let workspace;
  const removeRunFolders = () => {
    if (workspace) rmSync(workspace, { recursive: true, force: true });
    rmSync(runDir, { recursive: true, force: true });
  };
  let server;
  try {
    const extensionsDir = join(runDir, 'extensions');
    const { folder, id, version } = installUnpackedExtension({ extensionsDir });
    say(`installed ${id} ${version} as ${folder}`);
    workspace = copySampleWorkspace();
    say(`sample workspace copied to ${workspace} (a throwaway copy: it is deleted when Tiller stops)`);
    server = await startVsCodeServer({
      workspace,
      extensionsDir,
      userDataDir: join(runDir, 'user-data'),
      logFile: join(runDir, 'code-server.log'),
      settings: QUIET_WORKBENCH_SETTINGS,
      port,
    });
  } catch (error) {
    removeRunFolders();
    throw error;
  }
  const pageUrl = `${server.url}/?folder=${encodeURIComponent(workspace).replace(/%2F/g, '/')}`;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  let stopping = false;
  const shutdown = async (/** @type {number} */ code) => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    removeRunFolders();
    process.exit(code);
  };

  if (smoke) {
    const status = await pageStatus(pageUrl).catch((error) => {
      console.error(`[start] ${error.message}`);
      return 0;
    });
    say(`smoke: ${pageUrl} answered ${status} (${seconds} s from start)`);
    await shutdown(status === 200 ? 0 : 1);
    return;
  }

  console.log('');
  console.log(`Tiller is running in VS Code at ${pageUrl}`);
  console.log(describeModelEnvironment());
  console.log(`Workspace: ${workspace} (a copy of examples/sample-workspace, deleted when you stop Tiller)`);
  console.log(`(ready in ${seconds} s; server log: ${server.logFile}; press Ctrl+C to stop)`);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      console.log(`\n[start] ${signal}: stopping code-server`);
      void shutdown(0);
    });
  }
}

main().catch((error) => {
  console.error(`[start] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
