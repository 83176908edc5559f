// Tool calling for models without native tool calls: the tools are described in the system prompt, the model
// writes `<tool_call>{...}</tool_call>` blocks in its text, and Tiller parses them back out. History that holds
// native tool calls and tool results is rewritten into the same text form so the model sees one convention.
import type { ChatMessage, ToolCall, ToolDefinition } from './types.js';

const OPEN = '<tool_call>';
const CLOSE = '</tool_call>';

export function toolsPrompt(tools: readonly ToolDefinition[]): string {
  const described = tools.map((t) => `### ${t.name}\n${t.description.trim()}\nArguments (JSON Schema):\n${JSON.stringify(t.parameters, null, 2)}`).join('\n\n');
  return [
    '## Tools',
    'You can call the tools below. To call one, write a block of exactly this form in your reply:',
    '<tool_call>{"name": "TOOL_NAME", "arguments": {...}}</tool_call>',
    'The block must contain one JSON object with "name" (a tool name from the list) and "arguments" (an object that',
    "matches that tool's schema). You may write several blocks to call several tools. After your calls, stop and",
    'wait: each result comes back in a user message as <tool_result id="...">...</tool_result>. Never write',
    'tool_result blocks yourself. If no tool is needed, answer normally without any block.',
    '',
    described,
  ].join('\n');
}

function formatCall(call: ToolCall): string {
  let args: unknown = call.arguments;
  try {
    args = JSON.parse(call.arguments);
  } catch {
    // Keep the raw text: the model sees what it wrote before, even when that was not JSON.
  }
  return `${OPEN}${JSON.stringify({ name: call.name, arguments: args })}${CLOSE}`;
}

function formatResult(id: string, content: string): string {
  return `<tool_result id="${id.replace(/"/g, '')}">\n${content}\n</tool_result>`;
}

/** Rewrites a conversation for a text-protocol model: tools described in the system prompt (a system message is
 * added when there is none), assistant tool calls as blocks in the text, consecutive tool results merged into one
 * user message (some chat templates insist that user and assistant alternate). */
export function toTextProtocol(messages: readonly ChatMessage[], tools: readonly ToolDefinition[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  const prompt = tools.length > 0 ? toolsPrompt(tools) : undefined;
  let promptPlaced = prompt === undefined;
  let pendingResults: string[] = [];
  const flushResults = () => {
    if (pendingResults.length > 0) out.push({ role: 'user', content: pendingResults.join('\n\n') });
    pendingResults = [];
  };
  for (const message of messages) {
    if (message.role === 'tool') {
      pendingResults.push(formatResult(message.toolCallId, message.content));
      continue;
    }
    flushResults();
    if (message.role === 'system' && !promptPlaced) {
      out.push({ role: 'system', content: `${message.content}\n\n${prompt}` });
      promptPlaced = true;
    } else if (message.role === 'assistant') {
      const blocks = (message.toolCalls ?? []).map(formatCall);
      const content = [message.content ?? '', ...blocks].filter((part) => part !== '').join('\n');
      out.push({ role: 'assistant', content });
    } else {
      out.push(message);
    }
  }
  flushResults();
  if (!promptPlaced && prompt !== undefined) out.unshift({ role: 'system', content: prompt });
  return out;
}

export interface ParsedText {
  text: string;
  toolCalls: ToolCall[];
}

function parseBlock(raw: string, id: string): ToolCall {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const { name, arguments: args } = parsed as { name?: unknown; arguments?: unknown };
      if (typeof name === 'string' && name.trim() !== '') {
        const argsText = args === undefined ? '{}' : typeof args === 'string' ? args : JSON.stringify(args);
        return { id, name: name.trim(), arguments: argsText };
      }
    }
  } catch {
    // Falls through: malformed blocks are returned as calls with the raw text, below.
  }
  // The harness parses `arguments` as JSON and answers the model with the precise error, so the model can fix it.
  const name = /"name"\s*:\s*"([^"\\]{1,64})"/.exec(raw)?.[1] ?? 'invalid_tool_call';
  return { id, name, arguments: raw };
}

/** Pulls `<tool_call>` blocks out of a reply. A block left open at the end (the reply was cut off) is still
 * returned, as a malformed call. `firstId` numbers the ids (`text_call_N`) so they stay unique per client. */
export function parseTextToolCalls(text: string, firstId = 1): ParsedText {
  const toolCalls: ToolCall[] = [];
  let visible = '';
  let rest = text;
  for (;;) {
    const start = rest.indexOf(OPEN);
    if (start < 0) {
      visible += rest;
      break;
    }
    visible += rest.slice(0, start);
    const after = rest.slice(start + OPEN.length);
    const end = after.indexOf(CLOSE);
    const raw = end < 0 ? after : after.slice(0, end);
    toolCalls.push(parseBlock(raw.trim(), `text_call_${firstId + toolCalls.length}`));
    if (end < 0) break;
    rest = after.slice(end + CLOSE.length);
  }
  return { text: toolCalls.length > 0 ? visible.replace(/\n{3,}/g, '\n\n').trim() : visible, toolCalls };
}

/** Hides `<tool_call>` blocks from streamed text deltas, holding back just enough to recognise a tag split across
 * deltas. The final text comes from parseTextToolCalls; this only keeps the live view clean. */
export class ToolCallTextFilter {
  private buffer = '';
  private inBlock = false;

  push(delta: string): string {
    this.buffer += delta;
    let out = '';
    for (;;) {
      if (this.inBlock) {
        const end = this.buffer.indexOf(CLOSE);
        if (end < 0) {
          this.buffer = this.buffer.slice(-(CLOSE.length - 1));
          return out;
        }
        this.buffer = this.buffer.slice(end + CLOSE.length);
        this.inBlock = false;
        continue;
      }
      const start = this.buffer.indexOf(OPEN);
      if (start >= 0) {
        out += this.buffer.slice(0, start);
        this.buffer = this.buffer.slice(start + OPEN.length);
        this.inBlock = true;
        continue;
      }
      const keep = partialTagLength(this.buffer);
      out += this.buffer.slice(0, this.buffer.length - keep);
      this.buffer = this.buffer.slice(this.buffer.length - keep);
      return out;
    }
  }

  flush(): string {
    const rest = this.inBlock ? '' : this.buffer;
    this.buffer = '';
    return rest;
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of the opening tag. */
function partialTagLength(text: string): number {
  for (let n = Math.min(OPEN.length - 1, text.length); n > 0; n--) {
    if (OPEN.startsWith(text.slice(text.length - n))) return n;
  }
  return 0;
}

const SAYS_UNSUPPORTED =
  /not supported|does not support|doesn't support|unsupported|not allowed|not permitted|not enabled|unknown (field|parameter|argument|key)|unrecognized|extra (inputs|fields)|enable-auto-tool-choice/i;

/** Whether a 400 from the endpoint is its way of saying it does not support native tool calling. Both parts are
 * required: a 400 about a bad tool schema mentions tools too, and must not switch the protocol for good. */
export function rejectsNativeTools(message: string): boolean {
  return /\btools?\b|function[ _-]?call|\bfunctions?\b|tool_choice/i.test(message) && SAYS_UNSUPPORTED.test(message);
}

/** Whether a 400 says the server does not know `stream_options` (older local servers). */
export function rejectsStreamOptions(message: string): boolean {
  return /stream_options/i.test(message) && SAYS_UNSUPPORTED.test(message);
}
