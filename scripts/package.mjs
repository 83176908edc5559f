// `npm run package`: a production build, then a .vsix with vsce. The bundles already carry their dependencies, so
// node_modules is left out (--no-dependencies). Fails when the .vsix holds anything beyond the shipped list or grows
// past the size budget.
//
//   npm run package                              needs LICENSE and README.md at the root
//   npm run package -- --allow-missing-license   packages without LICENSE (a local try, not a release)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, buildExtension } from './extension-install.mjs';

const MAX_BYTES = 5 * 1024 * 1024;

/** Paths inside the .vsix (under `extension/`) that may ship; everything else is a packaging mistake. */
const ALLOWED = [
  /^package\.json$/,
  /^readme\.md$/i,
  /^license(\.txt|\.md)?$/i,
  /^changelog\.md$/i,
  /^dist\/[^/]+\.js$/,
  /^dist\/grammars\/[^/]+\.wasm$/, // tree-sitter runtime and grammars for the workspace index
  /^dist\/codicons\/codicon\.(css|ttf)$/, // the webview's icon font
  /^media\//,
  /^schemas\//,
];
/** The files vsce adds itself at the root of the archive. */
const VSCE_OWN = new Set(['extension.vsixmanifest', '[Content_Types].xml']);

/** @param {number} bytes */
function humanSize(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** Entry names of a zip file, read from `unzip -Z1`. */
/** @param {string} path */
function zipEntries(path) {
  const result = spawnSync('unzip', ['-Z1', path], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`unzip -Z1 ${path} failed: ${result.stderr.trim() || `exit ${result.status}`}`);
  return result.stdout.split('\n').filter((line) => line !== '' && !line.endsWith('/'));
}

/**
 * vsce rewrites relative README links against the repository, but only knows how for GitHub and GitLab. For any
 * other host, point it at the repository's raw and blob views (the usual layout of git web front ends).
 */
/** @param {string | { url?: string } | undefined} repository */
function readmeLinkArgs(repository) {
  const url = typeof repository === 'string' ? repository : repository?.url;
  if (typeof url !== 'string' || url === '') return [];
  if (/github\.com|gitlab\.com/.test(url)) return [];
  const base = url.replace(/^git\+/, '').replace(/\.git$/, '');
  return ['--baseContentUrl', `${base}/blob/HEAD/`, '--baseImagesUrl', `${base}/raw/HEAD/`];
}

function main() {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  const out = `tiller-${manifest.version}.vsix`;
  const allowMissingLicense = process.argv.includes('--allow-missing-license');
  // vsce asks about a missing LICENSE on the terminal; say it plainly instead of waiting for an answer.
  if (!existsSync(join(REPO_ROOT, 'LICENSE')) && !allowMissingLicense) {
    throw new Error('LICENSE is missing at the repository root (vsce requires it); add it, or pass --allow-missing-license for a local try');
  }
  if (!existsSync(join(REPO_ROOT, 'README.md'))) throw new Error('README.md is missing at the repository root (vsce requires it)');
  // A clean dist/: a dev build leaves source maps and bundles of removed entries that must not ship.
  console.log('[package] production build (clean dist/)');
  rmSync(join(REPO_ROOT, 'dist'), { recursive: true, force: true });
  buildExtension({ production: true });

  console.log(`[package] vsce package -> ${out}`);
  const vsceArgs = ['--no-install', 'vsce', 'package', '--no-dependencies', '--out', out, ...readmeLinkArgs(manifest.repository)];
  if (allowMissingLicense) vsceArgs.push('--skip-license');
  const vsce = spawnSync('npx', vsceArgs, {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (vsce.status !== 0) throw new Error(`vsce package failed with exit code ${vsce.status}`);

  const vsixPath = join(REPO_ROOT, out);
  const entries = zipEntries(vsixPath);
  const unexpected = entries.filter((entry) => {
    if (VSCE_OWN.has(entry)) return false;
    if (!entry.startsWith('extension/')) return true;
    const inner = entry.slice('extension/'.length);
    return !ALLOWED.some((pattern) => pattern.test(inner));
  });
  console.log(`[package] contents (${entries.length} files):`);
  for (const entry of entries) console.log(`  ${entry}`);
  if (unexpected.length) throw new Error(`the .vsix holds files that should not ship:\n  ${unexpected.join('\n  ')}`);
  if (!entries.includes('extension/package.json')) throw new Error('the .vsix has no extension/package.json');

  const { size } = statSync(vsixPath);
  console.log(`[package] ${vsixPath} ${humanSize(size)}`);
  if (size > MAX_BYTES) throw new Error(`the .vsix is ${humanSize(size)}, over the ${humanSize(MAX_BYTES)} budget`);
}

try {
  main();
} catch (error) {
  console.error(`[package] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
