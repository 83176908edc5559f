// `tiller trace show FILE [--json]`: the numbers of one session, with its cost ledger.
// `tiller trace export FILE --otlp OUT.json [--include-prompts]`: the session as OpenTelemetry spans (OTLP/JSON).
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { readTrace, type ParsedTrace } from '../core/trace/read.js';
import { formatTraceSummary, summarizeTrace } from '../core/trace/summary.js';
import { buildLedger, formatLedger } from '../core/trace/ledger.js';
import { traceToOtlp } from '../core/trace/otlp.js';
import { writeFileAtomic } from '../core/edits/atomic-write.js';
import { UsageError } from './exit-codes.js';
import type { CliIo } from './io.js';

export const TRACE_USAGE = `tiller trace show FILE [--json]
  tiller trace export FILE --otlp OUT.json [--include-prompts]`;

export async function traceCommand(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { json: { type: 'boolean' }, otlp: { type: 'string' }, 'include-prompts': { type: 'boolean' } },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nusage: ${TRACE_USAGE}`);
  }
  const [sub, file, ...rest] = parsed.positionals;
  if ((sub !== 'show' && sub !== 'export') || !file || rest.length) throw new UsageError(`usage: ${TRACE_USAGE}`);
  const trace = load(file);
  const { values } = parsed;
  if (sub === 'export') {
    if (!values.otlp) throw new UsageError(`trace export needs --otlp OUT.json (the file to write)\nusage: ${TRACE_USAGE}`);
    if (values.json) throw new UsageError('--json is for trace show');
    const out = resolve(values.otlp);
    const otlp = traceToOtlp(trace.events, { includePrompts: values['include-prompts'] === true });
    await writeFileAtomic(out, JSON.stringify(otlp, null, 1) + '\n', { mode: 0o600 });
    const spans = otlp.resourceSpans[0]?.scopeSpans[0]?.spans.length ?? 0;
    io.stderr.write(`wrote ${spans} span(s) to ${out}${values['include-prompts'] ? ' (with prompts)' : ''}\n`);
    return 0;
  }
  if (values.otlp || values['include-prompts']) throw new UsageError('--otlp and --include-prompts are for trace export');
  const summary = summarizeTrace(trace.events, trace.badLines);
  const ledger = buildLedger(trace.events);
  io.stdout.write((values.json ? JSON.stringify({ ...summary, ledger }) : `${formatTraceSummary(summary)}\n${formatLedger(ledger)}`) + '\n');
  return 0;
}

function load(file: string): ParsedTrace {
  let trace;
  try {
    trace = readTrace(file);
  } catch (err) {
    throw new UsageError(`cannot read the trace ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (trace.events.length === 0)
    throw new UsageError(`${file} holds no trace events${trace.badLines.length ? ` (${trace.badLines.length} unreadable lines)` : ''}`);
  return trace;
}
