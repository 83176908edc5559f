// The shape of `.tiller/permissions.json`. The JSON schema in schemas/permissions.schema.json (used by the editor
// through package.json `jsonValidation`) is generated from this one; a unit test keeps them equal.
import { z } from 'zod';

const ruleList = (what: string) =>
  z.array(z.string().describe('A rule `Kind(pattern)`: read(GLOB), write(GLOB), shell(COMMAND WORDS [*]) or mcp(SERVER.TOOL).')).describe(what).optional();

export const permissionsFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    allow: ruleList('Actions run without asking (unless a deny or ask rule, a secret or a builtin protection also applies).'),
    ask: ruleList('Actions that need approval each time.'),
    deny: ruleList('Actions that are refused. Deny beats ask beats allow, whatever the source.'),
  })
  .describe('Tiller project permissions (.tiller/permissions.json).');

export type PermissionsFile = z.infer<typeof permissionsFileSchema>;

/** The JSON schema written to schemas/permissions.schema.json. */
export function permissionsJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(permissionsFileSchema) as Record<string, unknown>;
}
