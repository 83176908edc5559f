// Builds the SDK Client for one server: the capabilities Tiller declares and the handlers behind them (forms for the
// user, sampling through the user's approval, roots, server logs, list changes). A capability is declared only when
// the host can really serve it, so a server never asks for something that will just fail.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ErrorCode,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  McpError,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
  type ClientCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import type { Elicitor, Logger } from '../../ports.js';
import { elicit } from './elicitation.js';
import { routeServerLog } from './logging.js';
import { rootsFromPaths } from './roots.js';
import { handleSampling, type SamplingOptions } from './sampling.js';

export type ListKind = 'tools' | 'resources' | 'prompts';

export interface ClientHooks {
  log: Logger;
  elicitor?: Elicitor;
  sampling?: SamplingOptions;
  /** The workspace roots (absolute paths), read at each `roots/list`. */
  roots: () => readonly string[];
  /** A server said one of its lists changed. */
  onListChanged: (kind: ListKind) => void;
}

export const CLIENT_INFO = { name: 'tiller', version: '0.1.0' };

export function clientCapabilities(hooks: Pick<ClientHooks, 'elicitor' | 'sampling'>): ClientCapabilities {
  return {
    roots: { listChanged: true },
    ...(hooks.elicitor !== undefined ? { elicitation: { form: {} } } : {}),
    ...(hooks.sampling !== undefined ? { sampling: {} } : {}),
  };
}

export function createMcpClient(server: string, hooks: ClientHooks): Client {
  const client = new Client(CLIENT_INFO, { capabilities: clientCapabilities(hooks) });
  const { elicitor, sampling } = hooks;
  if (elicitor !== undefined) {
    client.setRequestHandler(ElicitRequestSchema, async (request, extra) => {
      const params = request.params;
      if (params.mode === 'url' || !('requestedSchema' in params)) {
        throw new McpError(ErrorCode.InvalidParams, 'only form elicitation is supported');
      }
      const answer = await elicit(
        elicitor,
        { server, message: params.message, requestedSchema: params.requestedSchema as Record<string, unknown> },
        (m) => hooks.log.warn(m),
        extra.signal,
      );
      return answer.content !== undefined ? { action: answer.action, content: answer.content } : { action: answer.action };
    });
  }
  if (sampling !== undefined) {
    client.setRequestHandler(CreateMessageRequestSchema, (request, extra) => handleSampling(sampling, server, request.params, extra.signal));
  }
  client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: rootsFromPaths(hooks.roots()) }));
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => routeServerLog(hooks.log, server, n.params));
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => hooks.onListChanged('tools'));
  client.setNotificationHandler(ResourceListChangedNotificationSchema, () => hooks.onListChanged('resources'));
  client.setNotificationHandler(PromptListChangedNotificationSchema, () => hooks.onListChanged('prompts'));
  return client;
}
