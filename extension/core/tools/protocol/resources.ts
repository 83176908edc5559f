// Resources (context the user can attach) and prompts (slash commands) from every connected server. Each server is
// asked on its own; one that fails or lacks the capability contributes nothing instead of failing the listing.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';

export interface ResourceDescriptor {
  server: string;
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
}

export interface ResourceTemplateDescriptor {
  server: string;
  uriTemplate: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
}

export interface PromptDescriptor {
  server: string;
  name: string;
  title?: string;
  description?: string;
  arguments: { name: string; description?: string; required?: boolean }[];
}

export type ResourceContents = ReadResourceResult['contents'];
export type PromptMessages = GetPromptResult;

const MAX_PAGES = 50;

/** Follows `nextCursor` until the list ends, cut off at a sane number of pages. */
export async function collectPages<T>(fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | undefined }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await fetchPage(cursor);
    out.push(...result.items);
    cursor = result.nextCursor;
    if (cursor === undefined) break;
  }
  return out;
}

function optional<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}

export async function listServerResources(server: string, client: Client, timeout: number): Promise<ResourceDescriptor[]> {
  if (client.getServerCapabilities()?.resources === undefined) return [];
  const items = await collectPages(async (cursor) => {
    const r = await client.listResources(cursor === undefined ? undefined : { cursor }, { timeout });
    return { items: r.resources, nextCursor: r.nextCursor };
  });
  return items.map((r) => ({
    server,
    uri: r.uri,
    name: r.name,
    ...optional('title', r.title),
    ...optional('description', r.description),
    ...optional('mimeType', r.mimeType),
  }));
}

export async function listServerResourceTemplates(server: string, client: Client, timeout: number): Promise<ResourceTemplateDescriptor[]> {
  if (client.getServerCapabilities()?.resources === undefined) return [];
  const items = await collectPages(async (cursor) => {
    const r = await client.listResourceTemplates(cursor === undefined ? undefined : { cursor }, { timeout });
    return { items: r.resourceTemplates, nextCursor: r.nextCursor };
  });
  return items.map((t) => ({
    server,
    uriTemplate: t.uriTemplate,
    name: t.name,
    ...optional('title', t.title),
    ...optional('description', t.description),
    ...optional('mimeType', t.mimeType),
  }));
}

export async function listServerPrompts(server: string, client: Client, timeout: number): Promise<PromptDescriptor[]> {
  if (client.getServerCapabilities()?.prompts === undefined) return [];
  const items = await collectPages(async (cursor) => {
    const r = await client.listPrompts(cursor === undefined ? undefined : { cursor }, { timeout });
    return { items: r.prompts, nextCursor: r.nextCursor };
  });
  return items.map((p) => ({
    server,
    name: p.name,
    ...optional('title', p.title),
    ...optional('description', p.description),
    arguments: (p.arguments ?? []).map((a) => ({
      name: a.name,
      ...optional('description', a.description),
      ...(typeof a.required === 'boolean' ? { required: a.required } : {}),
    })),
  }));
}
