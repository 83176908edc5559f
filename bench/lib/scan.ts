// The reference a file index is compared with: read every file of a tree once (what `rg` does without a match),
// skipping only .git and symlinks. Same concurrency as the index's reader, so the comparison is fair.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function jsScan(root: string): Promise<{ files: number; bytes: number; ms: number }> {
  const t0 = performance.now();
  const paths: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === '.git' || e.isSymbolicLink()) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) paths.push(p);
    }
  };
  await walk(root);
  let bytes = 0;
  let cursor = 0;
  const needle = Buffer.from('tiller-bench-no-such-string-7f3a');
  const worker = async (): Promise<void> => {
    while (cursor < paths.length) {
      const p = paths[cursor++]!;
      try {
        const buf = await readFile(p);
        bytes += buf.length;
        buf.indexOf(needle);
      } catch {
        // Unreadable files count as read: rg would skip them too.
      }
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return { files: paths.length, bytes, ms: performance.now() - t0 };
}
