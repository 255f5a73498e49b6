/**
 * Tree-sitter grammars (from tree-sitter-wasms) and the queries that find definitions and
 * references in each language. Captures named `def.<kind>` mark a definition's name (the
 * capture's parent node is the whole definition); `ref` marks a use of a name.
 */

export interface LanguageSpec {
  id: string;
  wasm: string;
  /** Each pattern is compiled on its own, so one a grammar version lacks does not sink the rest. */
  definitions: string[];
  references: string[];
}

const tsDefinitions = [
  "(function_declaration name: (identifier) @def.function)",
  "(generator_function_declaration name: (identifier) @def.function)",
  "(class_declaration name: (type_identifier) @def.class)",
  "(abstract_class_declaration name: (type_identifier) @def.class)",
  "(interface_declaration name: (type_identifier) @def.interface)",
  "(type_alias_declaration name: (type_identifier) @def.type)",
  "(enum_declaration name: (identifier) @def.enum)",
  "(method_definition name: (property_identifier) @def.method)",
  "(method_signature name: (property_identifier) @def.method)",
  "(function_signature name: (identifier) @def.function)",
  // Exported constants only: a script's top-level locals (`root`, `result`) would match every use of those names.
  "(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @def.const))))",
];
const tsReferences = ["[(identifier) (type_identifier) (property_identifier)] @ref"];

const jsDefinitions = [
  "(function_declaration name: (identifier) @def.function)",
  "(generator_function_declaration name: (identifier) @def.function)",
  "(class_declaration name: (identifier) @def.class)",
  "(method_definition name: (property_identifier) @def.method)",
  "(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @def.const))))",
  // CommonJS and bundles define functions as top-level `var f = function …` / arrow functions.
  "(program (variable_declaration (variable_declarator name: (identifier) @def.function value: [(function_expression) (arrow_function)])))",
  "(program (lexical_declaration (variable_declarator name: (identifier) @def.function value: [(function_expression) (arrow_function)])))",
];
const jsReferences = ["[(identifier) (property_identifier)] @ref"];

export const LANGUAGES: Record<string, LanguageSpec> = {
  typescript: { id: "typescript", wasm: "tree-sitter-typescript.wasm", definitions: tsDefinitions, references: tsReferences },
  tsx: { id: "tsx", wasm: "tree-sitter-tsx.wasm", definitions: tsDefinitions, references: tsReferences },
  javascript: { id: "javascript", wasm: "tree-sitter-javascript.wasm", definitions: jsDefinitions, references: jsReferences },
  python: {
    id: "python",
    wasm: "tree-sitter-python.wasm",
    definitions: [
      "(function_definition name: (identifier) @def.function)",
      "(class_definition name: (identifier) @def.class)",
    ],
    references: ["(identifier) @ref"],
  },
  go: {
    id: "go",
    wasm: "tree-sitter-go.wasm",
    definitions: [
      "(function_declaration name: (identifier) @def.function)",
      "(method_declaration name: (field_identifier) @def.method)",
      "(type_spec name: (type_identifier) @def.type)",
      "(source_file (const_declaration (const_spec name: (identifier) @def.const)))",
    ],
    references: ["[(identifier) (type_identifier) (field_identifier)] @ref"],
  },
  rust: {
    id: "rust",
    wasm: "tree-sitter-rust.wasm",
    definitions: [
      "(function_item name: (identifier) @def.function)",
      "(function_signature_item name: (identifier) @def.function)",
      "(struct_item name: (type_identifier) @def.struct)",
      "(enum_item name: (type_identifier) @def.enum)",
      "(trait_item name: (type_identifier) @def.trait)",
      "(type_item name: (type_identifier) @def.type)",
      "(mod_item name: (identifier) @def.module)",
      "(macro_definition name: (identifier) @def.macro)",
      "(const_item name: (identifier) @def.const)",
    ],
    references: ["[(identifier) (type_identifier) (field_identifier)] @ref"],
  },
};

const BY_EXTENSION: Record<string, string> = {
  ".ts": "typescript",
  ".mts": "typescript",
  ".cts": "typescript",
  ".tsx": "tsx",
  ".js": "javascript",
  ".mjs": "javascript",
  ".cjs": "javascript",
  ".jsx": "javascript",
  ".py": "python",
  ".go": "go",
  ".rs": "rust",
};

export function languageOf(file: string): LanguageSpec | undefined {
  const dot = file.lastIndexOf(".");
  const id = dot >= 0 ? BY_EXTENSION[file.slice(dot).toLowerCase()] : undefined;
  return id ? LANGUAGES[id] : undefined;
}
