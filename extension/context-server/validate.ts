// Params from the client are checked before they reach the index: a bad field is an InvalidParams error whose message
// names the field, so a client author (or a test) sees what to fix instead of a crash deep in ranking.
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { z } from 'zod';

export function parseParams<T>(schema: z.ZodType<T>, params: unknown, method: string): T {
  const result = schema.safeParse(params ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const field = [...issue.path, ...keys.slice(0, 1)].map(String).join('.') || '(params)';
    return `\`${field}\`: ${keys.length ? `unknown field${keys.length > 1 ? 's' : ''} ${keys.join(', ')}` : issue.message}`;
  });
  return failInvalid(`${method}: invalid params: ${problems.join('; ')}`);
}

function failInvalid(message: string): never {
  throw new ResponseError(ErrorCodes.InvalidParams, message);
}
