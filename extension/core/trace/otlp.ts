// A trace as OpenTelemetry spans in the OTLP/JSON file format, for teams that collect spans: one span for each task,
// and under it a span per model call and per tool call, with the GenAI semantic-convention attributes where they
// exist. Prompts, replies and tool arguments stay out unless the user asks for them.
import { createHash } from 'node:crypto';
import { TRACE_VERSION, type TraceEvent } from './events.js';

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean } | { arrayValue: { values: AnyValue[] } };
export interface OtlpAttribute {
  key: string;
  value: AnyValue;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 1 internal, 3 client. */
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpAttribute[];
  /** 0 unset, 1 ok, 2 error. */
  status: { code: number; message?: string };
}

export interface OtlpExport {
  resourceSpans: {
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: { scope: { name: string; version: string }; spans: OtlpSpan[] }[];
  }[];
}

export interface OtlpOptions {
  /** Put the recorded requests (when the trace holds them), replies and tool arguments on the spans. */
  includePrompts?: boolean;
}

function attr(key: string, value: string | number | boolean | string[]): OtlpAttribute {
  if (Array.isArray(value)) return { key, value: { arrayValue: { values: value.map((v) => ({ stringValue: v })) } } };
  if (typeof value === 'string') return { key, value: { stringValue: value } };
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  return { key, value: Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value } };
}

function hexId(seed: string, chars: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, chars);
}

function nanos(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

export function traceToOtlp(events: TraceEvent[], options: OtlpOptions = {}): OtlpExport {
  const session = events[0]?.session ?? 'empty';
  // Deterministic ids: exporting the same trace twice gives the same spans, so a collector de-duplicates them.
  const traceId = hexId(`trace:${session}`, 32);
  const spans: OtlpSpan[] = [];
  const lastT = events.reduce((m, e) => Math.max(m, e.t), 0);
  let root: OtlpSpan | undefined;
  const toolStarts = new Map<string, { e: Extract<TraceEvent, { type: 'tool_call' }>; span: OtlpSpan }>();

  for (const e of events) {
    const spanId = hexId(`span:${session}:${e.seq}`, 16);
    if (e.type === 'session_start' && e.agent === 'main') {
      root = {
        traceId,
        spanId,
        name: `invoke_agent tiller`,
        kind: 1,
        startTimeUnixNano: nanos(e.t),
        endTimeUnixNano: nanos(lastT),
        attributes: [
          attr('gen_ai.operation.name', 'invoke_agent'),
          attr('gen_ai.agent.name', 'tiller'),
          attr('gen_ai.request.model', e.model),
          attr('tiller.session', session),
          attr('tiller.mode', e.mode),
          ...(options.includePrompts ? [attr('tiller.task', e.task)] : []),
        ],
        status: { code: 0 },
      };
      spans.push(root);
      continue;
    }
    if (!root) continue;
    const parent = root.spanId;
    switch (e.type) {
      case 'session_end':
        if (e.agent !== 'main') break;
        root.endTimeUnixNano = nanos(e.t);
        root.attributes.push(
          attr('tiller.status', e.status),
          attr('tiller.steps', e.steps),
          attr('gen_ai.usage.input_tokens', e.promptTokens),
          attr('gen_ai.usage.output_tokens', e.completionTokens),
          attr('tiller.cost_usd', e.costUsd),
        );
        root.status = e.status === 'done' ? { code: 1 } : { code: 2, message: e.status };
        break;
      case 'model_call': {
        const span: OtlpSpan = {
          traceId,
          spanId,
          parentSpanId: parent,
          name: `chat ${e.model}`,
          kind: 3,
          startTimeUnixNano: nanos(e.t - e.latencyMs),
          endTimeUnixNano: nanos(e.t),
          attributes: [
            attr('gen_ai.operation.name', 'chat'),
            attr('gen_ai.provider.name', 'openai'),
            attr('gen_ai.request.model', e.model),
            attr('gen_ai.response.model', e.model),
            attr('gen_ai.response.finish_reasons', [e.finishReason]),
            attr('gen_ai.usage.input_tokens', e.usage.promptTokens),
            attr('gen_ai.usage.output_tokens', e.usage.completionTokens),
            attr('gen_ai.usage.cache_read.input_tokens', e.usage.cachedPromptTokens),
            attr('tiller.usage.estimated', e.usage.estimated),
            attr('tiller.cost_usd', e.costUsd),
            attr('tiller.agent', e.agent),
            attr('tiller.step', e.step),
            attr('tiller.role', e.role),
            attr('tiller.attempts', e.attempts),
            ...(e.requestHash ? [attr('tiller.request_hash', e.requestHash)] : []),
            ...(options.includePrompts && e.request ? [attr('gen_ai.input.messages', JSON.stringify(e.request.messages))] : []),
            ...(options.includePrompts && e.reply
              ? [attr('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', content: e.reply.text, tool_calls: e.reply.toolCalls }]))]
              : []),
          ],
          status: { code: 0 },
        };
        spans.push(span);
        break;
      }
      case 'tool_call': {
        const span: OtlpSpan = {
          traceId,
          spanId,
          parentSpanId: parent,
          name: `execute_tool ${e.tool}`,
          kind: 1,
          startTimeUnixNano: nanos(e.t),
          endTimeUnixNano: nanos(e.t),
          attributes: [
            attr('gen_ai.operation.name', 'execute_tool'),
            attr('gen_ai.tool.name', e.tool),
            attr('gen_ai.tool.call.id', e.callId),
            attr('tiller.agent', e.agent),
            attr('tiller.step', e.step),
            ...(options.includePrompts ? [attr('gen_ai.tool.call.arguments', JSON.stringify(e.args))] : []),
          ],
          status: { code: 0 },
        };
        spans.push(span);
        toolStarts.set(`${e.agent}\u0000${e.callId}`, { e, span });
        break;
      }
      case 'policy':
      case 'tool_result': {
        const started = toolStarts.get(`${e.agent}\u0000${e.callId}`);
        if (!started) break;
        if (e.type === 'policy') {
          started.span.attributes.push(attr('tiller.policy.decision', e.decision), attr('tiller.policy.rule', e.rule));
          if (e.decision === 'deny') started.span.status = { code: 2, message: `denied by ${e.rule}` };
          break;
        }
        started.span.endTimeUnixNano = nanos(e.t);
        started.span.attributes.push(attr('tiller.result.chars', e.chars), ...(e.hash ? [attr('tiller.result.hash', e.hash)] : []));
        if (e.isError) started.span.status = { code: 2, message: 'the tool returned an error' };
        break;
      }
      default:
        break;
    }
  }

  return {
    resourceSpans: [
      {
        resource: { attributes: [attr('service.name', 'tiller'), attr('tiller.trace_version', TRACE_VERSION)] },
        scopeSpans: [{ scope: { name: 'tiller.trace', version: String(TRACE_VERSION) }, spans }],
      },
    ],
  };
}
