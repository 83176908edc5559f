// Namespaced tool names (`server.tool`, what policy rules and traces use) and the names models see. OpenAI
// function names must match ^[a-zA-Z0-9_-]{1,64}$, so `server.tool` becomes `server__tool`. When that simple
// form would be invalid, too long or ambiguous to split back, a deterministic hashed form is used instead,
// which only `fromModelToolName` with the list of known names can map back.
import { createHash } from 'node:crypto';

export const MODEL_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
export const SERVER_NAME = /^[a-zA-Z0-9_-]+$/;
const MAX_LENGTH = 64;
/** A server part that splits back unambiguously at the first `__`. */
const SIMPLE_SERVER = /^[a-zA-Z0-9-]+(?:_[a-zA-Z0-9-]+)*$/;
const SIMPLE_TOOL = /^[a-zA-Z0-9_-]+$/;

export class ToolNameError extends Error {
  override name = 'ToolNameError';
}

export function splitToolName(name: string): { server: string; tool: string } {
  const dot = name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1) throw new ToolNameError(`tool name ${JSON.stringify(name)} is not of the form server.tool`);
  const server = name.slice(0, dot);
  if (!SERVER_NAME.test(server)) throw new ToolNameError(`server name ${JSON.stringify(server)} must match ${SERVER_NAME}`);
  return { server, tool: name.slice(dot + 1) };
}

function sanitize(part: string): string {
  return part.replace(/[^a-zA-Z0-9_-]/g, '_');
}

export function toModelToolName(name: string): string {
  const { server, tool } = splitToolName(name);
  const simple = `${server}__${tool}`;
  if (SIMPLE_SERVER.test(server) && SIMPLE_TOOL.test(tool) && simple.length <= MAX_LENGTH) return simple;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  const readable = `${sanitize(server)}__${sanitize(tool)}`.slice(0, MAX_LENGTH - hash.length - 2);
  return `${readable}_h${hash}`;
}

/**
 * Maps a model-facing name back to `server.tool`. With `knownNames` (the namespaced names on offer) every form,
 * hashed ones included, maps back exactly; without it only the simple form can. Undefined when nothing matches.
 */
export function fromModelToolName(modelName: string, knownNames?: Iterable<string>): string | undefined {
  if (knownNames !== undefined) {
    for (const known of knownNames) {
      try {
        if (toModelToolName(known) === modelName) return known;
      } catch {
        continue;
      }
    }
    return undefined;
  }
  if (!MODEL_TOOL_NAME.test(modelName)) return undefined;
  const split = modelName.indexOf('__');
  if (split <= 0 || split + 2 >= modelName.length) return undefined;
  const candidate = `${modelName.slice(0, split)}.${modelName.slice(split + 2)}`;
  try {
    return toModelToolName(candidate) === modelName ? candidate : undefined;
  } catch {
    return undefined;
  }
}
