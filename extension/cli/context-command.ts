// `tiller context`: what the agent would be shown for a query — the workspace index built in this process (the same
// code the context server runs in VS Code), its ranked files with their scores and the reasons each was chosen.
import { parseArgs } from 'node:util';
import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RankedFile } from '../core/context/index/types.js';
import { EXIT, UsageError } from './exit-codes.js';
import type { CliIo } from './io.js';
import { InProcessRepoContext } from './repo-context.js';

export const CONTEXT_USAGE = 'tiller context --workspace DIR --query TEXT [--top K] [--json]';

const MAX_TOP = 1000;

export async function contextCommand(argv: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        workspace: { type: 'string', short: 'w' },
        query: { type: 'string', short: 'q' },
        top: { type: 'string', short: 'k' },
        json: { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nusage: ${CONTEXT_USAGE}`);
  }
  if (!values.workspace) throw new UsageError(`--workspace DIR is required\nusage: ${CONTEXT_USAGE}`);
  if (values.query === undefined || values.query.trim() === '') throw new UsageError(`--query TEXT is required and must not be empty\nusage: ${CONTEXT_USAGE}`);
  const top = parseTop(values.top);
  const root = workspaceRoot(values.workspace);

  const controller = new AbortController();
  io.onInterrupt(() => controller.abort());
  const context = new InProcessRepoContext({ root, signal: controller.signal });
  let ranked: RankedFile[];
  try {
    const index = await context.ready();
    for (const warning of index.stats().grammarWarnings) io.stderr.write(`warning: ${warning}\n`);
    ranked = await context.rank({ text: values.query, top });
  } catch (err) {
    if (controller.signal.aborted) return EXIT.interrupted;
    throw err;
  }
  io.stdout.write(values.json ? JSON.stringify(ranked) + '\n' : formatTable(ranked));
  return EXIT.done;
}

function parseTop(raw: string | undefined): number {
  if (raw === undefined) return 10;
  const top = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(top) || top < 1 || top > MAX_TOP) {
    throw new UsageError(`--top must be a whole number from 1 to ${MAX_TOP}, not ${JSON.stringify(raw)}`);
  }
  return top;
}

function workspaceRoot(dir: string): string {
  let root: string;
  try {
    root = realpathSync(resolve(dir));
  } catch {
    throw new UsageError(`workspace folder not found: ${dir}`);
  }
  if (!statSync(root).isDirectory()) throw new UsageError(`--workspace must be a folder: ${dir}`);
  return root;
}

/** Rank, score and path on one line, then the reasons (and the best symbols) indented below. */
export function formatTable(ranked: readonly RankedFile[]): string {
  if (ranked.length === 0) return 'no files matched\n';
  const width = String(ranked.length).length;
  const lines: string[] = [];
  ranked.forEach((file, i) => {
    lines.push(`${String(i + 1).padStart(width)}. ${file.score.toFixed(3).padStart(8)}  ${file.path}`);
    const pad = ' '.repeat(width + 12);
    for (const reason of file.reasons) lines.push(`${pad}- ${reason}`);
    const symbols = file.symbols.slice(0, 5).map((s) => `${s.name}:${s.line}`);
    if (symbols.length) lines.push(`${pad}symbols: ${symbols.join(', ')}`);
  });
  return lines.join('\n') + '\n';
}
