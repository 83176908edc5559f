// `tiller checkpoint list --workspace DIR [--json]` and `tiller checkpoint restore ID --workspace DIR`: the same
// checkpoints VS Code takes (the shadow repositories under $TILLER_HOME/checkpoints), from a terminal.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { createShadowCheckpointer } from '../core/edits/checkpoints/shadow.js';
import { defaultCheckpointStore } from '../core/harness.js';
import { EXIT, UsageError } from './exit-codes.js';
import type { CliIo } from './io.js';

export const CHECKPOINT_USAGE = `tiller checkpoint list --workspace DIR [--json]
  tiller checkpoint restore ID --workspace DIR`;

export async function checkpointCommand(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { workspace: { type: 'string' }, json: { type: 'boolean' } } });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nusage: ${CHECKPOINT_USAGE}`);
  }
  const [sub, id, ...rest] = parsed.positionals;
  const workspace = parsed.values.workspace;
  if (!workspace || rest.length || (sub === 'list' && id !== undefined) || (sub === 'restore' && !id) || (sub !== 'list' && sub !== 'restore')) {
    throw new UsageError(`usage: ${CHECKPOINT_USAGE}`);
  }
  const root = resolve(workspace);
  if (!existsSync(root)) throw new UsageError(`workspace folder not found: ${root}`);
  const checkpoints = createShadowCheckpointer(root, { storeDir: defaultCheckpointStore() });
  if (sub === 'list') {
    const list = await checkpoints.list();
    if (parsed.values.json) {
      io.stdout.write(JSON.stringify(list, null, 1) + '\n');
      return EXIT.done;
    }
    if (!list.length) io.stdout.write('no checkpoints for this workspace\n');
    for (const c of list) io.stdout.write(`${c.id.slice(0, 12)}  ${new Date(c.createdAt).toISOString()}  ${c.summary}\n`);
    return EXIT.done;
  }
  // A short id from `list` is accepted when it names exactly one checkpoint.
  const matches = (await checkpoints.list()).filter((c) => c.id.startsWith(id!.toLowerCase()));
  if (matches.length !== 1)
    throw new UsageError(matches.length ? `${id} names ${matches.length} checkpoints; give more of the id` : `no checkpoint ${id} for ${root}`);
  const result = await checkpoints.restore(matches[0]!.id);
  if (!result.ok) {
    io.stderr.write(`tiller: not restored: ${result.reason}\n`);
    return EXIT.failed;
  }
  io.stdout.write(
    `restored ${result.restored.length} file(s), removed ${result.removed.length}; undo with: tiller checkpoint restore ${result.backup.slice(0, 12)} --workspace ${root}\n`,
  );
  return EXIT.done;
}
