// Puts a built Tiller into a VS Code extensions dir as an unpacked folder `<publisher>.<name>-<version>` (VS Code loads
// it as installed, and it is much faster than packaging a .vsix), and copies the sample workspace to a throwaway
// folder so that a demo or a test never modifies the repository.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What ships in the extension: the same list as .vscodeignore lets through. */
const SHIPPED = ['package.json', 'dist', 'media', 'schemas', 'README.md', 'LICENSE'];

/** Reads `publisher`, `name` and `version` from a manifest and returns the VS Code id and folder name. */
export function extensionIdentity(sourceDir = REPO_ROOT) {
  const manifestPath = join(sourceDir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  for (const field of ['publisher', 'name', 'version']) {
    if (typeof manifest[field] !== 'string' || manifest[field] === '') {
      throw new Error(`${manifestPath}: "${field}" must be a non-empty string`);
    }
  }
  const id = `${manifest.publisher}.${manifest.name}`;
  return { id, version: manifest.version, folderName: `${id}-${manifest.version}` };
}

/** Builds the bundles with the repository's esbuild script (dev build unless `production`). */
export function buildExtension({ production = false, sourceDir = REPO_ROOT } = {}) {
  const args = ['esbuild.mjs', ...(production ? ['--production'] : [])];
  const result = spawnSync(process.execPath, args, { cwd: sourceDir, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed with exit code ${result.status}`);
  const main = join(sourceDir, 'dist', 'extension.js');
  if (!existsSync(main)) {
    // Not fatal here: the caller decides; the e2e test reports it as the reason the view is missing.
    console.warn(`[install] warning: ${main} was not built (is extension/vscode/extension.ts there yet?)`);
  }
}

/**
 * Copies the shipped files of the extension at `sourceDir` into `extensionsDir/<publisher>.<name>-<version>`,
 * replacing an older copy. Returns the folder and the extension id.
 * @param {{ extensionsDir: string; sourceDir?: string }} options
 */
export function installUnpackedExtension({ extensionsDir, sourceDir = REPO_ROOT }) {
  if (typeof extensionsDir !== 'string' || extensionsDir === '') throw new Error('installUnpackedExtension: extensionsDir must be a path');
  const { id, version, folderName } = extensionIdentity(sourceDir);
  if (!existsSync(join(sourceDir, 'dist'))) throw new Error(`${sourceDir}/dist is missing: build first (node esbuild.mjs)`);
  const target = join(extensionsDir, folderName);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const name of SHIPPED) {
    const from = join(sourceDir, name);
    if (existsSync(from)) cpSync(from, join(target, name), { recursive: true });
  }
  return { folder: target, id, version };
}

/**
 * Copies `examples/sample-workspace` to a fresh temp folder, as a git repository with one commit when git is
 * available (the agent's diffs and checkpoints then have a base). Returns the folder's absolute path.
 */
export function copySampleWorkspace({ parent = tmpdir() } = {}) {
  const source = join(REPO_ROOT, 'examples', 'sample-workspace');
  if (!existsSync(source)) throw new Error(`${source} is missing`);
  const target = mkdtempSync(join(parent, 'tiller-workspace-'));
  cpSync(source, target, { recursive: true });
  const git = (/** @type {string[]} */ ...args) =>
    spawnSync('git', ['-c', 'user.name=Tiller demo', '-c', 'user.email=demo@tiller.invalid', ...args], {
      cwd: target,
      stdio: 'ignore',
    });
  if (git('init', '-q').status === 0) {
    git('add', '-A');
    git('commit', '-q', '-m', 'Sample workspace');
  }
  return target;
}
