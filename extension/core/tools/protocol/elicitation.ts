// Server-initiated forms (`elicitation/create`). The user's answer is completed with the schema's defaults and
// checked against the schema here, whatever UI collected it: a server must never receive content of a shape it did
// not ask for, and a UI bug must not turn into a malformed reply.
import type { ElicitationAnswer, Elicitor } from '../../ports.js';
import { validateToolArgs } from '../schema-validate.js';

type Primitive = string | number | boolean | string[];

/** Fills in each property's `default` that the answer left out. Returns a new object. */
export function applyElicitationDefaults(schema: Record<string, unknown>, content: Record<string, Primitive>): Record<string, Primitive> {
  const out = { ...content };
  const properties = schema.properties;
  if (properties === null || typeof properties !== 'object') return out;
  for (const [key, raw] of Object.entries(properties as Record<string, unknown>)) {
    if (key in out || raw === null || typeof raw !== 'object') continue;
    const fallback = (raw as { default?: unknown }).default;
    if (typeof fallback === 'string' || typeof fallback === 'number' || typeof fallback === 'boolean') out[key] = fallback;
    else if (Array.isArray(fallback) && fallback.every((v) => typeof v === 'string')) out[key] = fallback as string[];
  }
  return out;
}

export type CheckedAnswer = { ok: true; answer: ElicitationAnswer } | { ok: false; error: string };

/** Applies defaults to an accepted answer and validates it; decline and cancel carry no content. */
export function checkElicitationAnswer(schema: Record<string, unknown>, answer: ElicitationAnswer): CheckedAnswer {
  if (answer.action !== 'accept') return { ok: true, answer: { action: answer.action } };
  const content = applyElicitationDefaults(schema, answer.content ?? {});
  const { $schema: _ignored, ...rest } = schema;
  const verdict = validateToolArgs(rest, content);
  if (!verdict.ok) return { ok: false, error: verdict.error.replace(/the arguments/g, 'the answer') };
  return { ok: true, answer: { action: 'accept', content } };
}

/** Asks the user through the Elicitor; an answer that does not fit the schema is reported and sent as `cancel`. */
export async function elicit(
  elicitor: Elicitor,
  request: { server: string; message: string; requestedSchema: Record<string, unknown> },
  warn: (message: string) => void,
  signal?: AbortSignal,
): Promise<ElicitationAnswer> {
  const answer = await elicitor.elicit(request, signal);
  const checked = checkElicitationAnswer(request.requestedSchema, answer);
  if (checked.ok) return checked.answer;
  warn(`MCP server ${request.server}: the answer to its question did not match the form (${checked.error}); sent as cancelled`);
  return { action: 'cancel' };
}
