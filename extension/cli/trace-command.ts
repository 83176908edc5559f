// `tiller trace show FILE [--json]`: the numbers of one session.
import { parseArgs } from 'node:util';
import { readTrace } from '../core/trace/read.js';
import { formatTraceSummary, summarizeTrace } from '../core/trace/summary.js';
import { UsageError } from './exit-codes.js';
import type { CliIo } from './io.js';

export const TRACE_USAGE = 'tiller trace show FILE [--json]';

export async function traceCommand(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { json: { type: 'boolean' } } });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nusage: ${TRACE_USAGE}`);
  }
  const [sub, file, ...rest] = parsed.positionals;
  if (sub !== 'show' || !file || rest.length) throw new UsageError(`usage: ${TRACE_USAGE}`);
  let trace;
  try {
    trace = readTrace(file);
  } catch (err) {
    throw new UsageError(`cannot read the trace ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (trace.events.length === 0) throw new UsageError(`${file} holds no trace events${trace.badLines.length ? ` (${trace.badLines.length} unreadable lines)` : ''}`);
  const summary = summarizeTrace(trace.events, trace.badLines);
  io.stdout.write((parsed.values.json ? JSON.stringify(summary) : formatTraceSummary(summary)) + '\n');
  return 0;
}
