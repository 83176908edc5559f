// `roots/list`: the workspace folders as file:// URIs, the only places a server is told it may work in.
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface McpRoot {
  uri: string;
  name: string;
}

export function rootsFromPaths(paths: readonly string[]): McpRoot[] {
  return paths.map((p) => ({ uri: pathToFileURL(p).href, name: basename(p) || p }));
}
