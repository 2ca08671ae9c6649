/** A node of jsonata's abstract syntax tree, as `jsonata(source).ast()` returns it. */
export type AstNode = {
  type: string;
  value?: unknown;
  steps?: AstNode[];
  stages?: AstNode[];
  predicate?: AstNode[];
  expr?: AstNode;
  group?: { lhs: [AstNode, AstNode][] };
  lhs?: AstNode | [AstNode, AstNode][];
  rhs?: AstNode;
  expression?: AstNode;
  expressions?: AstNode[];
  condition?: AstNode;
  then?: AstNode;
  else?: AstNode;
  procedure?: AstNode;
  arguments?: AstNode[];
  keepArray?: boolean;
  keepSingletonArray?: boolean;
  consarray?: boolean;
  [flag: string]: unknown;
};

/** The variables of one evaluation: a chain of null-prototype objects, one per block. */
export type Frame = Record<string, unknown>;

/** A compiled node: evaluates on one context value, like jsonata's evaluate(). */
export type Evaluator = (input: unknown, frame: Frame) => unknown;

/** Raised at compile time for a construct that only the jsonata library evaluates. */
export class UnsupportedExpression extends Error {}

/** Compiles a child node with its predicates, grouping and singleton collapsing. */
export type CompileNode = (node: AstNode) => Evaluator;

/** Flags that mark path features compiled code leaves to jsonata: tuples, `@`, `#`, `%`. */
const TUPLE_FLAGS = ['tuple', 'focus', 'index', 'ancestor', 'seekingParent', 'nextFunction'];

/** Rejects the tuple features of paths, which only the library evaluates. */
export function rejectTupleFlags(node: AstNode): void {
  for (const flag of TUPLE_FLAGS) {
    if (node[flag] !== undefined) throw new UnsupportedExpression(`the ${flag} operator`);
  }
}
