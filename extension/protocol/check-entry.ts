// A check event as a transcript entry: the same fields, the output preview as the card's output. Shared by the
// webview (live events) and the extension (the stored transcript), so a reopened session shows the same card.
import type { AgentEvent } from '../core/agent/types.js';
import type { TranscriptEntry } from './messages.js';

export function checkEntry(e: Extract<AgentEvent, { type: 'check' }>): Extract<TranscriptEntry, { kind: 'check' }> {
  return {
    kind: 'check',
    name: e.name,
    command: e.command,
    after: e.after,
    status: e.status,
    durationMs: e.durationMs,
    exitCode: e.exitCode,
    output: e.preview,
    ...(e.reason !== undefined ? { reason: e.reason } : {}),
  };
}
