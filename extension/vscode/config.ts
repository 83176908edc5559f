// Settings -> what a task needs (ModelConfig, budgets, user permission rules). Only type-imports `vscode`, so the
// mapping is tested in plain Node with a fake configuration object.
//
// Trust: the settings that decide where the API key goes and how much may be spent (base URL, headers, models,
// prices, cost cap, permission rules) are read from the user's own settings only. They are `machine`-scoped in the
// manifest, and here we additionally ignore any workspace value, so a hostile repository's .vscode/settings.json
// cannot redirect the key, raise the cap or grant itself permissions even if a VS Code version honoured it.
import type * as vscode from 'vscode';
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import type { ModelConfig } from '../core/model/types.js';

export const SETTINGS_SECTION = 'tiller';

// English error messages (zod/mini ships none by default).
z.config(en());

export interface PermissionRules {
  allow?: string[];
  ask?: string[];
  deny?: string[];
}

export interface TillerConfig {
  model: ModelConfig;
  maxSteps: number;
  maxCostUsd: number;
  /** Absent: no daily limit. */
  maxDailyCostUsd?: number;
  userRules: PermissionRules;
  /** `tiller.approvals`: `sandboxed` runs commands inside the sandbox without asking (when there is one). */
  approvals?: 'ask' | 'sandboxed';
  /** `tiller.sandbox.allowPaths`: more paths outside the workspace a sandboxed command may read and write. */
  sandboxAllowPaths?: string[];
  /**
   * `tiller.checks` as the user wrote it (user settings only: a check of the user's runs without asking). Parsed on
   * the extension host by core/checks/config.ts parseUserChecks, which names a bad field.
   */
  userChecks?: unknown;
  /** Empty when a task can run; otherwise what is missing, in words a user can act on. */
  problems: string[];
}

/** What settings hold, before defaults and the environment are applied. */
export interface RawSettings {
  baseUrl: unknown;
  model: unknown;
  smallModel: unknown;
  fallbackModel: unknown;
  prices: unknown;
  headers: unknown;
  permissions: unknown;
  maxCostUsd: unknown;
  maxDailyCostUsd: unknown;
  maxSteps: unknown;
  toolProtocol: unknown;
  approvals: unknown;
  sandboxAllowPaths: unknown;
  checks: unknown;
}

/** The user's value (or the default), never a workspace's. */
function userValue(cfg: vscode.WorkspaceConfiguration, key: string): unknown {
  const inspected = cfg.inspect(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

export function readSettings(cfg: vscode.WorkspaceConfiguration): RawSettings {
  return {
    baseUrl: userValue(cfg, 'baseUrl'),
    model: userValue(cfg, 'model'),
    smallModel: userValue(cfg, 'smallModel'),
    fallbackModel: userValue(cfg, 'fallbackModel'),
    prices: userValue(cfg, 'prices'),
    headers: userValue(cfg, 'headers'),
    permissions: userValue(cfg, 'permissions'),
    maxCostUsd: userValue(cfg, 'maxCostUsd'),
    maxDailyCostUsd: userValue(cfg, 'maxDailyCostUsd'),
    maxSteps: cfg.get('maxSteps'),
    toolProtocol: cfg.get('toolProtocol'),
    // Machine-scoped and read from the user's settings only: a repository must not switch its own commands to
    // run without asking, nor widen what they may touch.
    approvals: userValue(cfg, 'approvals'),
    sandboxAllowPaths: userValue(cfg, 'sandbox.allowPaths'),
    // Machine-scoped and user-only too: a check of the user's runs without asking, so a repository must not add one.
    checks: userValue(cfg, 'checks'),
  };
}

// zod/mini: this runs in the view bundle, where classic zod would add ~400 KB to parse when the view opens.
const optionalText = z.optional(z.string());
const rules = z.optional(z.array(z.string()));
const settingsSchema = z.object({
  baseUrl: optionalText,
  model: optionalText,
  smallModel: optionalText,
  fallbackModel: optionalText,
  prices: z.optional(
    z.record(
      z.string(),
      z.object({
        inputPerMTok: z.number().check(z.minimum(0)),
        outputPerMTok: z.number().check(z.minimum(0)),
        cachedInputPerMTok: z.optional(z.number().check(z.minimum(0))),
      }),
    ),
  ),
  headers: z.optional(z.record(z.string(), z.string())),
  permissions: z.optional(z.object({ allow: rules, ask: rules, deny: rules })),
  maxCostUsd: z.optional(z.number().check(z.positive())),
  maxDailyCostUsd: z.optional(z.number().check(z.positive())),
  maxSteps: z.optional(z.int().check(z.minimum(1), z.maximum(10_000))),
  toolProtocol: z.optional(z.enum(['auto', 'native', 'text'])),
  approvals: z.optional(z.enum(['ask', 'sandboxed'])),
  sandboxAllowPaths: z.optional(z.array(z.string())),
  checks: z.optional(z.unknown()),
});

export type Env = Record<string, string | undefined>;

function text(value: string | undefined): string | undefined {
  const t = value?.trim();
  return t ? t : undefined;
}

/** OPENAI_API_KEY is someone's OpenAI key: only send it to OpenAI, never to whatever base URL is configured. */
function isOpenAi(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

/**
 * Applies defaults and the environment fallback (TILLER_BASE_URL, TILLER_MODEL, TILLER_SMALL_MODEL, TILLER_API_KEY,
 * OPENAI_API_KEY) used when settings are empty, e.g. by `npm start`. Throws naming the setting when one has the wrong
 * shape; a missing base URL or model is not an error but a `problems` entry (the view offers setup instead).
 */
export function resolveConfig(raw: RawSettings, storedKey: string | undefined, env: Env): TillerConfig {
  const emptyToUndefined = (v: unknown): unknown => (v === '' || v === null ? undefined : v);
  const parsed = settingsSchema.safeParse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, emptyToUndefined(v)])));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? issue.path.map(String).join('.') : '';
    throw new Error(`Setting tiller.${field} is invalid: ${issue?.message ?? 'wrong shape'}`);
  }
  const s = parsed.data;
  const baseUrl = text(s.baseUrl) ?? text(env.TILLER_BASE_URL) ?? '';
  const largeModel = text(s.model) ?? text(env.TILLER_MODEL) ?? '';
  const smallModel = text(s.smallModel) ?? text(env.TILLER_SMALL_MODEL);
  const apiKey = text(storedKey) ?? text(env.TILLER_API_KEY) ?? (isOpenAi(baseUrl) ? text(env.OPENAI_API_KEY) : undefined);

  const problems: string[] = [];
  if (!baseUrl) problems.push('Set tiller.baseUrl to your OpenAI-compatible endpoint (e.g. http://localhost:11434/v1).');
  if (!largeModel) problems.push('Set tiller.model to the model to use.');

  const model: ModelConfig = { baseUrl, largeModel };
  if (apiKey) model.apiKey = apiKey;
  if (smallModel) model.smallModel = smallModel;
  const fallbackModel = text(s.fallbackModel);
  if (fallbackModel) model.fallbackModel = fallbackModel;
  if (s.prices && Object.keys(s.prices).length) model.prices = s.prices;
  if (s.headers && Object.keys(s.headers).length) model.headers = s.headers;
  if (s.toolProtocol) model.toolProtocol = s.toolProtocol;

  return {
    model,
    maxSteps: s.maxSteps ?? 50,
    maxCostUsd: s.maxCostUsd ?? 1,
    ...(s.maxDailyCostUsd ? { maxDailyCostUsd: s.maxDailyCostUsd } : {}),
    userRules: s.permissions ?? {},
    approvals: s.approvals ?? 'ask',
    sandboxAllowPaths: s.sandboxAllowPaths ?? [],
    ...(s.checks !== undefined ? { userChecks: s.checks } : {}),
    problems,
  };
}
