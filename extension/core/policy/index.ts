// The policy layer's public surface.
export * from './types.js';
export { createPolicyEngine, type ExplainingPolicyEngine, type PolicyEngineOptions } from './engine.js';
export { loadProjectRules, parseProjectRules, PROJECT_RULES_FILE, type LoadedRules } from './load.js';
export { permissionsFileSchema, permissionsJsonSchema, type PermissionsFile } from './schema.js';
export { parseRule, parseRuleSet, type RawRules, type RuleSet, type Rule, type RuleError, type RuleKind } from './rules.js';
export { resolveForPolicy, detectCaseInsensitive, type ResolvedPath } from './paths.js';
export { checkAction, decisionToJson, type CheckInput } from './check.js';
export { SECRET_PATTERNS, PROTECTED_WRITE_PATTERNS } from './defaults.js';
export { analyzeCommandLine, type CommandAnalysis, type CommandPart } from './shell-commands.js';
export { splitShell, type ShellSplit, type SimpleCommand, type ShellWord } from './shell.js';
export { initShellParser, shellParserState } from './shell-parser.js';
export { SHELL_RULES } from './shell-decision.js';
