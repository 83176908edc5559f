// Bundles the two built-in servers into a temp dir the way esbuild.mjs does, so these tests run from a fresh
// clone without a manual build step and do not depend on the rest of the tree building.
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(__dirname, '../../..');
let built: Promise<string> | undefined;

export function buildServers(): Promise<string> {
  built ??= (async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'tiller-mcp-dist-'));
    await Promise.all(
      [
        ['mcp-servers/workspace/main.ts', 'mcp-workspace.js'],
        ['mcp-servers/shell/main.ts', 'mcp-shell.js'],
      ].map(([entry, out]) =>
        build({
          entryPoints: [join(repo, entry!)],
          outfile: join(outdir, out!),
          bundle: true,
          platform: 'node',
          target: 'node20',
          format: 'cjs',
          mainFields: ['module', 'main'],
          logLevel: 'warning',
        }),
      ),
    );
    return outdir;
  })();
  return built;
}
