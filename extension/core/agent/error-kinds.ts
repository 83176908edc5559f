// Why a task failed, as a closed set the CLI's exit codes and the UI branch on: a model error's kind, `loop` (the
// agent repeated the same call without progress), `check` (the step limit came with a configured `done` check still
// failing) or `internal` (the harness itself threw).
import { MODEL_ERROR_KINDS } from '../model/types.js';

export const TASK_ERROR_KINDS = [...MODEL_ERROR_KINDS, 'loop', 'check', 'internal'] as const;

export type TaskErrorKind = (typeof TASK_ERROR_KINDS)[number];
