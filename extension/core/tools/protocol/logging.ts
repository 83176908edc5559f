// `notifications/message` from servers into Tiller's log, tagged with the server. The text is a server's to choose,
// so it is stripped of control characters (no terminal escapes in the log) and capped.
import type { LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../ports.js';

const MAX_CHARS = 2000;

function render(data: unknown): string {
  if (typeof data === 'string') return data;
  try {
    return JSON.stringify(data) ?? String(data);
  } catch {
    return String(data);
  }
}

/** Removes control, zero-width and direction-changing characters (newlines and tabs stay): server text on a terminal. */
export function stripControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '');
}

export function cleanLogText(text: string): string {
  const clean = stripControl(text);
  return clean.length > MAX_CHARS ? `${clean.slice(0, MAX_CHARS)}… (${clean.length - MAX_CHARS} more characters)` : clean;
}

export function routeServerLog(log: Logger, server: string, message: { level: LoggingLevel; logger?: string; data: unknown }): void {
  const source = message.logger !== undefined ? `${server}/${cleanLogText(message.logger)}` : server;
  const line = `MCP server ${source} [${message.level}]: ${cleanLogText(render(message.data))}`;
  switch (message.level) {
    case 'debug':
    case 'info':
    case 'notice':
      return log.info(line);
    case 'warning':
      return log.warn(line);
    default:
      return log.error(line);
  }
}
