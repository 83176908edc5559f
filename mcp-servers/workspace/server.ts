// The `workspace` MCP server: read, list, find, search, and propose edits inside one root. It never writes.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { PathGuard } from '../common/path-guard.js';
import { guarded } from '../common/tool-result.js';
import { readFileTool } from './read-file.js';
import { listDirTool } from './list-dir.js';
import { findFilesTool } from './find-files.js';
import { searchTextTool } from './search-text.js';
import { proposeEditTool } from './propose-edit.js';

const relPath = z.string().min(1).describe('Path relative to the workspace root');
const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

export function createWorkspaceServer(guard: PathGuard): McpServer {
  const server = new McpServer({ name: 'tiller-workspace', version: '0.1.0' });

  server.registerTool(
    'read_file',
    {
      description:
        'Read a text file (raw text, no line numbers) or a line range of it. Reads are capped at 256 KiB; a truncated read says which startLine to read next.',
      inputSchema: {
        path: relPath,
        startLine: z.number().int().min(1).optional().describe('First line to read (1-based)'),
        endLine: z.number().int().min(1).optional().describe('Last line to read (inclusive)'),
      },
      annotations: { title: 'Read file', ...readOnly },
    },
    (args) => guarded(() => readFileTool(guard, args)),
  );

  server.registerTool(
    'list_dir',
    {
      description: 'List a directory. Directories end with "/". The contents of .git and node_modules are not listed.',
      inputSchema: {
        path: relPath.optional().describe('Directory relative to the workspace root (default ".")'),
        depth: z.number().int().min(1).max(5).optional().describe('Levels to descend (default 1)'),
      },
      annotations: { title: 'List directory', ...readOnly },
    },
    (args) => guarded(() => listDirTool(guard, args)),
  );

  server.registerTool(
    'find_files',
    {
      description: 'Find files by glob (e.g. "src/**/*.ts"; a pattern without "/" matches file names at any depth). Returns workspace-relative paths.',
      inputSchema: {
        pattern: z.string().min(1).describe('Glob pattern (minimatch, dotfiles included)'),
        maxResults: z.number().int().min(1).max(5000).optional().describe('Default 200'),
      },
      annotations: { title: 'Find files', ...readOnly },
    },
    (args) => guarded(() => findFilesTool(guard, args)),
  );

  server.registerTool(
    'search_text',
    {
      description: 'Search file contents. Hits are "path:line: text". Skips .git, node_modules, binary files and files over 1 MiB.',
      inputSchema: {
        query: z.string().min(1).describe('Text to find (or a regular expression with isRegex)'),
        isRegex: z.boolean().optional().describe('Treat query as a regular expression (default false)'),
        glob: z.string().min(1).optional().describe('Only search files matching this glob'),
        maxResults: z.number().int().min(1).max(2000).optional().describe('Default 100'),
        caseSensitive: z.boolean().optional().describe('Default false'),
      },
      annotations: { title: 'Search text', ...readOnly },
    },
    (args) => guarded(() => searchTextTool(guard, args)),
  );

  server.registerTool(
    'propose_edit',
    {
      description:
        'Propose a change without writing it: for the file at "path", either "edits" (search/replace pairs; each search must match the current file exactly once) or "content" (the whole new file; may create it). Files that belong to the same change go in "also" with the same fields; they are reviewed and applied together, all or nothing. Line endings and BOM are kept. Returns the change set and its diff for approval.',
      inputSchema: {
        path: relPath,
        edits: z
          .array(z.object({ search: z.string().describe('Exact current text, unique in the file'), replace: z.string() }))
          .min(1)
          .optional(),
        content: z.string().optional().describe('Whole new file content'),
        also: z
          .array(
            z.object({
              path: relPath,
              edits: z
                .array(z.object({ search: z.string(), replace: z.string() }))
                .min(1)
                .optional(),
              content: z.string().optional(),
            }),
          )
          .max(50)
          .optional()
          .describe('Further files in the same change, each with "edits" or "content"'),
        description: z.string().optional().describe('What this change does'),
      },
      annotations: { title: 'Propose edit', readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args) => guarded(() => proposeEditTool(guard, args)),
  );

  return server;
}
