// Symbol extraction for one file: definitions (with a one-line signature for the repo map) and the names it uses.
import type Parser from 'web-tree-sitter';
import type { GrammarSet } from './grammars.js';
import { countIdentifiers } from './tokenize.js';
import { kindOf, languageOf } from './tag-queries.js';
import type { SymbolInfo } from './types.js';

export interface DefinedSymbol extends SymbolInfo {
  /** The definition's first line, trimmed: what the repo map shows. */
  signature: string;
}

export interface FileSymbols {
  defs: DefinedSymbol[];
  /**
   * Names the file uses, with counts (its own definitions included; the graph excludes them). A token scan rather
   * than `@ref` captures: many times faster on large trees, and a name in a comment still says what a file is about.
   */
  refs: Map<string, number>;
}

const MAX_SIGNATURE = 160;
/** Beyond this a file is parsed for nothing: generated tables, bundles that slipped through. */
const MAX_PARSE_BYTES = 512 * 1024;

const CONTAINER_TYPES = new Set(['class_declaration', 'abstract_class_declaration', 'class_definition', 'class', 'interface_declaration', 'object']);

export function extractSymbols(grammars: GrammarSet, path: string, text: string, identifiers?: Map<string, number>): FileSymbols | undefined {
  const lang = languageOf(path);
  const grammar = lang ? grammars.grammars.get(lang) : undefined;
  if (!grammar || !grammars.parser || text.length > MAX_PARSE_BYTES) return undefined;
  grammars.parser.setLanguage(grammar.language);
  let tree: Parser.Tree | undefined;
  try {
    tree = grammars.parser.parse(text);
    const lines = text.split('\n');
    const defs: DefinedSymbol[] = [];
    const seen = new Set<string>();
    for (const capture of grammar.defs?.captures(tree.rootNode) ?? []) {
      const node = capture.node;
      const name = node.text;
      const defNode = definitionNode(node);
      const line = defNode.startPosition.row + 1;
      const key = `${name}:${line}`;
      if (seen.has(key) || name.length === 0 || name.length > 100) continue;
      seen.add(key);
      const container = containerName(defNode);
      let kind = kindOf(capture.name);
      if (kind === 'function' && container && lang === 'python') kind = 'method';
      defs.push({
        name,
        kind,
        path,
        line,
        endLine: defNode.endPosition.row + 1,
        ...(container ? { container } : {}),
        signature: (lines[node.startPosition.row] ?? '').trim().slice(0, MAX_SIGNATURE),
      });
    }
    return { defs, refs: identifiers ?? countIdentifiers(text) };
  } catch {
    return undefined;
  } finally {
    tree?.delete();
  }
}

/** The node spanning the whole definition (the declaration, not just its name). */
function definitionNode(name: Parser.SyntaxNode): Parser.SyntaxNode {
  const parent = name.parent;
  if (!parent) return name;
  if (parent.type === 'variable_declarator' || parent.type === 'pair') return parent.parent ?? parent;
  if (parent.type === 'member_expression') return parent.parent ?? parent;
  return parent;
}

function containerName(def: Parser.SyntaxNode): string | undefined {
  for (let n = def.parent; n; n = n.parent) {
    if (CONTAINER_TYPES.has(n.type)) {
      const name = n.childForFieldName('name');
      if (name) return name.text;
      if (n.type !== 'object') return undefined;
    }
  }
  return undefined;
}
