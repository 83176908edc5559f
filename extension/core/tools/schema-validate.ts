// Checks model-supplied tool arguments against the tool's JSON schema before anything runs, with a message the
// model can act on: every failing path, in argument terms ("`path` is required; `startLine` must be integer").
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonSchema } from '../model/types.js';

// ajv is CommonJS; under NodeNext its default export arrives as the module object in some loaders.
const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as typeof AjvModule;
const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
const compiled = new WeakMap<object, ValidateFunction | { error: string }>();

export type ValidationOutcome = { ok: true } | { ok: false; error: string };

function argPath(instancePath: string, extra?: string): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  let out = '';
  for (const part of parts) out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

function describe(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `\`${argPath(e.instancePath, String(params.missingProperty))}\` is required`;
    case 'additionalProperties':
      return `\`${argPath(e.instancePath, String(params.additionalProperty))}\` is not an accepted argument`;
    case 'type': {
      const where = argPath(e.instancePath);
      return where === '' ? `the arguments must be ${String(params.type)}` : `\`${where}\` must be ${String(params.type)}`;
    }
    case 'enum':
      return `\`${argPath(e.instancePath)}\` must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default: {
      const where = argPath(e.instancePath);
      return where === '' ? `the arguments ${e.message ?? 'are invalid'}` : `\`${where}\` ${e.message ?? 'is invalid'}`;
    }
  }
}

function validatorFor(schema: JsonSchema): ValidateFunction | { error: string } {
  const cached = compiled.get(schema);
  if (cached !== undefined) return cached;
  let result: ValidateFunction | { error: string };
  try {
    // The draft marker is dropped: servers declare various drafts and the keywords tools use are common to them.
    const { $schema: _ignored, ...rest } = schema;
    result = ajv.compile(rest);
  } catch (error) {
    result = { error: `the tool's input schema is invalid (${(error as Error).message})` };
  }
  compiled.set(schema, result);
  return result;
}

export function validateToolArgs(schema: JsonSchema, args: unknown): ValidationOutcome {
  const validate = validatorFor(schema);
  if (!(typeof validate === 'function')) return { ok: false, error: validate.error };
  if (validate(args)) return { ok: true };
  const messages = [...new Set((validate.errors ?? []).map(describe))];
  return { ok: false, error: messages.join('; ') || 'the arguments are invalid' };
}
