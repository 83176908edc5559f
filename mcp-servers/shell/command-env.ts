// The allowlisted environment lives in the core (core/sandbox/command-env.ts): the harness's own commands (checks,
// hooks) get the same one as the model's.
export { buildCommandEnv } from '../../extension/core/sandbox/command-env.js';
