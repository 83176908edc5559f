// Tags queries per language: which syntax nodes define a symbol (`@def.<kind>`). References are a token scan
// (symbols.ts), which is much faster than captures on large trees.
// Each pattern is compiled on its own, so a pattern a grammar version does not know costs that pattern only.
import type { SymbolInfo } from './types.js';

export type LanguageId = 'typescript' | 'tsx' | 'javascript' | 'python';

const JS_DEFS = [
  '(function_declaration name: (identifier) @def.function)',
  '(generator_function_declaration name: (identifier) @def.function)',
  '(class_declaration name: (_) @def.class)',
  '(method_definition name: (property_identifier) @def.method)',
  '(program (lexical_declaration (variable_declarator name: (identifier) @def.function value: (arrow_function))))',
  '(program (lexical_declaration (variable_declarator name: (identifier) @def.function value: (function))))',
  '(program (lexical_declaration (variable_declarator name: (identifier) @def.function value: (function_expression))))',
  '(program (variable_declaration (variable_declarator name: (identifier) @def.function value: (arrow_function))))',
  '(program (variable_declaration (variable_declarator name: (identifier) @def.function value: (function))))',
  '(program (variable_declaration (variable_declarator name: (identifier) @def.function value: (function_expression))))',
  '(export_statement (lexical_declaration (variable_declarator name: (identifier) @def.function value: (arrow_function))))',
  '(export_statement (lexical_declaration (variable_declarator name: (identifier) @def.function value: (function))))',
  '(export_statement (lexical_declaration (variable_declarator name: (identifier) @def.function value: (function_expression))))',
  '(export_statement (variable_declaration (variable_declarator name: (identifier) @def.function value: (arrow_function))))',
  '(export_statement (variable_declaration (variable_declarator name: (identifier) @def.function value: (function))))',
  '(export_statement (variable_declaration (variable_declarator name: (identifier) @def.function value: (function_expression))))',
  '(program (lexical_declaration (variable_declarator name: (identifier) @def.constant)))',
  '(program (variable_declaration (variable_declarator name: (identifier) @def.variable)))',
  '(export_statement (lexical_declaration (variable_declarator name: (identifier) @def.constant)))',
  '(assignment_expression left: (member_expression property: (property_identifier) @def.method) right: (function))',
  '(assignment_expression left: (member_expression property: (property_identifier) @def.method) right: (function_expression))',
  '(assignment_expression left: (member_expression property: (property_identifier) @def.method) right: (arrow_function))',
  '(pair key: (property_identifier) @def.method value: (function))',
  '(pair key: (property_identifier) @def.method value: (function_expression))',
  '(pair key: (property_identifier) @def.method value: (arrow_function))',
];

const TS_DEFS = [
  '(interface_declaration name: (type_identifier) @def.interface)',
  '(type_alias_declaration name: (type_identifier) @def.type)',
  '(enum_declaration name: (identifier) @def.enum)',
  '(abstract_class_declaration name: (type_identifier) @def.class)',
  '(method_signature name: (property_identifier) @def.method)',
  '(function_signature name: (identifier) @def.function)',
  '(module name: (identifier) @def.module)',
  '(public_field_definition name: (property_identifier) @def.method value: (arrow_function))',
];

const PY_DEFS = [
  '(function_definition name: (identifier) @def.function)',
  '(class_definition name: (identifier) @def.class)',
  '(module (expression_statement (assignment left: (identifier) @def.constant)))',
];

export const TAG_PATTERNS: Record<LanguageId, { defs: string[] }> = {
  javascript: { defs: JS_DEFS },
  typescript: { defs: [...JS_DEFS, ...TS_DEFS] },
  tsx: { defs: [...JS_DEFS, ...TS_DEFS] },
  python: { defs: PY_DEFS },
};

const EXTENSIONS: Record<string, LanguageId> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.py': 'python',
  '.pyi': 'python',
};

export function languageOf(path: string): LanguageId | undefined {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : EXTENSIONS[path.slice(dot).toLowerCase()];
}

export function kindOf(capture: string): SymbolInfo['kind'] {
  const kind = capture.slice('def.'.length);
  const known: SymbolInfo['kind'][] = ['function', 'class', 'method', 'interface', 'type', 'variable', 'constant', 'enum', 'module'];
  return (known as string[]).includes(kind) ? (kind as SymbolInfo['kind']) : 'other';
}
