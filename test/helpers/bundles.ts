// Builds the Node bundles the way esbuild.mjs does, into a temp dir per test process, so integration tests run from
// a fresh clone without a manual build step and never race another test process writing dist/.
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../..');

const ENTRIES: Record<string, string> = {
  cli: 'extension/cli/main.ts',
  'mcp-workspace': 'mcp-servers/workspace/main.ts',
  'mcp-shell': 'mcp-servers/shell/main.ts',
};

let built: Promise<string> | undefined;

/** Returns a directory holding cli.js, mcp-workspace.js and mcp-shell.js. */
export function buildBundles(): Promise<string> {
  built ??= (async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'tiller-dist-'));
    await Promise.all(
      Object.entries(ENTRIES).map(([out, entry]) =>
        build({
          entryPoints: [join(repoRoot, entry)],
          outfile: join(outdir, `${out}.js`),
          bundle: true,
          platform: 'node',
          target: 'node20',
          format: 'cjs',
          mainFields: ['module', 'main'],
          logLevel: 'warning',
          define: { TILLER_VERSION: '"test"' },
        }),
      ),
    );
    return outdir;
  })();
  return built;
}
