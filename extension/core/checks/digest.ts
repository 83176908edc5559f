// What the model is told about a check run, within a token cap: pass or fail, the exit code, the failing tests and
// errors with file:line (findings.ts), and the tail of the output. A passing check is one line; the full output of
// every run is in the trace, not here.
import { estimateTokens } from '../model/tokens.js';
import { redactToolResult } from '../trace/redact.js';
import { extractFindings, formatFinding, stripAnsi } from './findings.js';
import type { CheckRun } from './types.js';

/** The cap for everything the checks of one moment tell the model; shared out between the checks that ran. */
export const CHECK_DIGEST_TOKENS = 1500;
/** No check's share goes below this, however many ran: a fail needs room for its first finding and a few lines. */
const MIN_SHARE_TOKENS = 300;
const CHARS_PER_TOKEN = 4;
/** At most this many findings, however much room: past it the model should fix the first ones and look again. */
const MAX_FINDINGS = 15;

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function sizeText(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}

function headline(run: CheckRun): string {
  const what = `Check "${run.name}" (\`${run.command}\`)`;
  switch (run.status) {
    case 'passed':
      return `${what} passed in ${seconds(run.durationMs)}.`;
    case 'failed':
      return `${what} FAILED: exit code ${run.exitCode} after ${seconds(run.durationMs)}.`;
    case 'timed_out':
      return `${what} TIMED OUT: it was still running after ${seconds(run.timeoutMs)} and was killed (it may hang: an endless loop, a watch mode, a wait for input).`;
    case 'not_found':
      return `${what} could not run: ${run.reason ?? 'the command was not found'}. This is a problem with the check's configuration, not with your change; mention it to the user.`;
    case 'not_run':
      return `${what} was NOT RUN: ${run.reason ?? 'no reason given'}. Its result is unknown.`;
    case 'cancelled':
      return `${what} was cancelled.`;
  }
}

/** The last lines of `text` that fit in `chars`, whole lines only (a first line longer than that is cut at its start). */
function tail(text: string, chars: number): { text: string; cut: boolean } {
  const lines = text.replace(/\s+$/, '').split('\n');
  const kept: string[] = [];
  let used = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.length > 300 ? `${lines[i]!.slice(0, 299)}…` : lines[i]!;
    if (used + line.length + 1 > chars) {
      if (kept.length === 0) kept.unshift(`…${line.slice(line.length - chars + 1)}`);
      return { text: kept.join('\n'), cut: true };
    }
    kept.unshift(line);
    used += line.length + 1;
  }
  return { text: kept.join('\n'), cut: false };
}

/** Stack frames inside node and node_modules say nothing about the project: left out of the tail. */
const NOISE_FRAME = /^\s*at\s+(?:.*\()?(?:node:|internal\/|.*\/node_modules\/).*$|^\s*at\s+(?:new\s+)?\S+ \(<anonymous>\)\s*$/;

/** The output as the model reads it: paths inside the workspace relative, stack frames of node's own code dropped. */
function readable(output: string, root: string | undefined): string {
  const prefix = root ? (root.endsWith('/') ? root : `${root}/`) : undefined;
  const lines = output.split('\n').filter((l) => !NOISE_FRAME.test(l));
  const text = lines.join('\n');
  return prefix ? text.split(`file://${prefix}`).join('').split(prefix).join('') : text;
}

/** One check's digest within `maxTokens`; `root` is taken off absolute paths in the findings. */
export function digestCheck(run: CheckRun, maxTokens: number, root?: string): string {
  const budget = maxTokens * CHARS_PER_TOKEN;
  const parts = [headline(run)];
  if (run.status === 'passed' || run.status === 'not_run' || run.status === 'cancelled') return parts.join('\n');
  const output = stripAnsi(run.output);
  if (run.truncated) parts.push(`It printed ${sizeText(run.outputBytes)}; only the start and the end were kept.`);
  if (run.status !== 'not_found') {
    const findings = extractFindings(output, root).slice(0, MAX_FINDINGS);
    if (findings.length) {
      const lines: string[] = [];
      let used = 0;
      for (const f of findings) {
        const line = `- ${formatFinding(f)}`;
        // The findings may take up to two thirds of the room; the tail gets the rest.
        if (used + line.length > (budget * 2) / 3 && lines.length > 0) break;
        lines.push(line);
        used += line.length + 1;
      }
      const more = findings.length - lines.length;
      parts.push(`Failures and errors it reported${more > 0 ? ` (first ${lines.length})` : ''}:\n${lines.join('\n')}`);
    }
  }
  const room = budget - parts.join('\n').length - 60;
  if (output.trim() && room > 80) {
    const t = tail(readable(output, root), room);
    parts.push(`${t.cut ? 'The end of its output' : 'Its output'}:\n${t.text}`);
  } else if (!output.trim()) parts.push('It printed nothing.');
  return redactToolResult(parts.join('\n'));
}

/** What the model is told after the checks of one moment ran: each check's digest, within CHECK_DIGEST_TOKENS in all. */
export function digestChecks(runs: readonly CheckRun[], intro: string, root?: string, totalTokens = CHECK_DIGEST_TOKENS): string {
  const problems = runs.filter((r) => r.status !== 'passed').length;
  const share = Math.max(MIN_SHARE_TOKENS, Math.floor((totalTokens - estimateTokens(intro)) / Math.max(1, problems)));
  const body = runs.map((r) => digestCheck(r, r.status === 'passed' ? 50 : share, root));
  return [intro, ...body].join('\n\n');
}
