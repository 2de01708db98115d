import {
  getNamedType, getNullableType, isInterfaceType, isListType, isObjectType, Kind, valueFromAST, valueFromASTUntyped,
  type FieldNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLNamedType, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';

/**
 * How big one operation is, measured on its document before anything runs:
 * - depth: the most fields nested inside one another (`{ citizen { taxId } }` is 2);
 * - aliases: aliased fields, counted at every place a fragment is spread;
 * - breadth: the most fields asked in one selection set, fragments merged in;
 * - cost: each field 1 (`__typename` 0) plus the cost of its selection times a multiplier: the
 *   `listSize` when the field returns a list, else 1. A paged field (one with a `first`/`last`
 *   argument: its value, a variable's value or the schema's default) is a connection: it counts
 *   once, and the `edges`/`nodes` list right under it counts its page size (its `pageInfo` and
 *   `totalCount` once, as a client gets them).
 * Fragments are measured once each, so a document of fragments spread twice apiece cannot make the
 * measuring itself explode.
 */
export interface QueryMeasure {
  depth: number;
  aliases: number;
  breadth: number;
  cost: number;
}

export interface MeasureOptions {
  /** Expected length of a list without a page size (accounts, parcels, readings …). */
  listSize: number;
  /** Leave `__schema` and `__type` (introspection) out of the measure. */
  ignoreIntrospection: boolean;
  variables?: Readonly<Record<string, unknown>>;
  /** Called when a page size is read from a variable: the measure then holds for these variables only. */
  onVariable?: () => void;
}

/** A selection set's measure; `fields` is its own number of fields (its breadth before nesting). */
interface SetMeasure extends QueryMeasure {
  fields: number;
}

const EMPTY: SetMeasure = { depth: 0, aliases: 0, breadth: 0, cost: 0, fields: 0 };
const PAGE_ARGUMENTS = ['first', 'last'];
const PAGE_LISTS = new Set(['edges', 'nodes']);

export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  options: MeasureOptions,
): QueryMeasure {
  const memo = new Map<string, SetMeasure>();

  function fieldDef(parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
    return parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
  }

  // The operation's own variable defaults count where the request leaves a variable out.
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) variables[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  Object.assign(variables, options.variables);

  /** The page size a field asks for, or undefined when it has no `first`/`last` argument. */
  function pageSize(node: FieldNode, def: GraphQLField<unknown, unknown> | undefined): number | undefined {
    for (const name of PAGE_ARGUMENTS) {
      const argDef = def?.args.find((a) => a.name === name);
      if (!argDef) continue;
      const arg = node.arguments?.find((a) => a.name.value === name);
      if (arg?.value.kind === Kind.VARIABLE) options.onVariable?.();
      const value = (arg && valueFromAST(arg.value, argDef.type, variables)) ?? argDef.defaultValue;
      if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value);
    }
    return undefined;
  }

  function field(node: FieldNode, parent: GraphQLNamedType | undefined, paged: number | undefined): SetMeasure {
    const name = node.name.value;
    const def = fieldDef(parent, name);
    const alias = node.alias ? 1 : 0;
    if (name === '__typename') return { ...EMPTY, depth: 1, aliases: alias, fields: 1 };
    const page = pageSize(node, def);
    const list = def !== undefined && isListType(getNullableType(def.type));
    // A paged list that is not a connection counts its page size itself.
    const multiplier = page !== undefined ? (list ? page : 1) : paged !== undefined && PAGE_LISTS.has(name) ? paged : list ? options.listSize : 1;
    const inner = node.selectionSet ? selectionSet(node.selectionSet, def && getNamedType(def.type), page) : EMPTY;
    return {
      depth: inner.depth + 1,
      aliases: inner.aliases + alias,
      breadth: inner.breadth,
      cost: 1 + multiplier * inner.cost,
      fields: 1,
    };
  }

  function fragment(name: string, paged: number | undefined): SetMeasure {
    const key = `${name}|${paged}`;
    const known = memo.get(key);
    if (known) return known;
    memo.set(key, EMPTY); // a cycle (invalid anyway) measures as nothing rather than forever
    const definition = fragments[name];
    const measured = definition
      ? selectionSet(definition.selectionSet, schema.getType(definition.typeCondition.name.value) ?? undefined, paged)
      : EMPTY;
    memo.set(key, measured);
    return measured;
  }

  function selectionSet(set: SelectionSetNode, parent: GraphQLNamedType | undefined, paged: number | undefined): SetMeasure {
    const total: SetMeasure = { ...EMPTY };
    for (const selection of set.selections) {
      let part: SetMeasure;
      if (selection.kind === Kind.FIELD) {
        const introspection = selection.name.value === '__schema' || selection.name.value === '__type';
        if (introspection && options.ignoreIntrospection) continue;
        part = field(selection, parent, paged);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) ?? undefined : parent;
        part = selectionSet(selection.selectionSet, type, paged);
      } else {
        part = fragment(selection.name.value, paged);
      }
      total.depth = Math.max(total.depth, part.depth);
      total.aliases += part.aliases;
      total.cost += part.cost;
      total.fields += part.fields;
      total.breadth = Math.max(total.breadth, part.breadth);
    }
    total.breadth = Math.max(total.breadth, total.fields);
    return total;
  }

  const root = schema.getRootType(operation.operation) ?? undefined;
  const { depth, aliases, breadth, cost } = selectionSet(operation.selectionSet, root, undefined);
  return { depth, aliases, breadth, cost };
}
