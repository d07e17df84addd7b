import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  OperationTypeNode,
  valueFromASTUntyped,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Shopify's calculated query cost, as a documented approximation of
 * https://shopify.dev/docs/api/usage/limits#cost-calculation (api-facts A.2):
 * - scalar and enum fields: 0;
 * - object, interface and union fields: 1 plus their selections;
 * - connections (`…Connection` types): 2 plus `first`/`last` × the cost of one node (its `edges.node` or `nodes`
 *   selection, 1 + selections); `pageInfo` is free; the *actual* cost counts the nodes returned instead;
 * - each root mutation field: 10 (its payload selections are not charged on top), plus the connections it selects;
 * - fragments count as if inlined; `@include`/`@skip` are ignored (requested cost is an upper bound).
 * Shopify's real weights differ for some fields; the simulator only needs the same order of magnitude and shape.
 */

export const MUTATION_COST = 10;
export const CONNECTION_BASE_COST = 2;

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function fieldDef(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (isObjectType(parent) || isInterfaceType(parent)) {
    return parent.getFields()[name];
  }
  return undefined;
}

/** Fields of a selection set, fragments inlined (type conditions resolved against the schema when possible). */
function fieldsOf(
  w: Walk,
  set: SelectionSetNode,
  parent: GraphQLCompositeType,
): { node: FieldNode; parent: GraphQLCompositeType }[] {
  const out: { node: FieldNode; parent: GraphQLCompositeType }[] = [];
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      out.push({ node: sel, parent });
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const cond = sel.typeCondition ? w.schema.getType(sel.typeCondition.name.value) : parent;
      out.push(...fieldsOf(w, sel.selectionSet, isCompositeType(cond) ? cond : parent));
    } else {
      const frag = w.fragments[sel.name.value];
      if (frag) {
        const cond = w.schema.getType(frag.typeCondition.name.value);
        out.push(...fieldsOf(w, frag.selectionSet, isCompositeType(cond) ? cond : parent));
      }
    }
  }
  return out;
}

function argValue(w: Walk, node: FieldNode, name: string): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value, w.variables) : undefined;
}

function isConnection(type: GraphQLCompositeType): boolean {
  return type.name.endsWith('Connection');
}

/** Cost of one node of a connection: the heavier of its `edges { node }` and `nodes` selections. */
function nodeCost(w: Walk, node: FieldNode, type: GraphQLCompositeType, values: unknown[] | undefined): number {
  let best = 0;
  for (const f of fieldsOf(w, node.selectionSet!, type)) {
    const def = fieldDef(type, f.node.name.value);
    if (!def) {
      continue;
    }
    const name = f.node.name.value;
    if (name === 'nodes' && f.node.selectionSet) {
      const nt = getNamedType(def.type) as GraphQLCompositeType;
      best = Math.max(best, 1 + selectionCost(w, f.node.selectionSet, nt, values?.[0]));
    } else if (name === 'edges' && f.node.selectionSet) {
      const et = getNamedType(def.type) as GraphQLCompositeType;
      for (const e of fieldsOf(w, f.node.selectionSet, et)) {
        const edef = fieldDef(et, e.node.name.value);
        if (e.node.name.value === 'node' && e.node.selectionSet && edef) {
          const nt = getNamedType(edef.type) as GraphQLCompositeType;
          best = Math.max(best, 1 + selectionCost(w, e.node.selectionSet, nt, values?.[0]));
        }
      }
    }
  }
  return best;
}

/** Nodes a connection value returned (for the actual cost). */
function returnedNodes(value: unknown): unknown[] | undefined {
  if (value === null || value === undefined || typeof value !== 'object') {
    return undefined;
  }
  const v = value as { nodes?: unknown[]; edges?: { node?: unknown }[] };
  if (Array.isArray(v.nodes)) {
    return v.nodes;
  }
  if (Array.isArray(v.edges)) {
    return v.edges.map((e) => e.node);
  }
  return [];
}

/**
 * `value` undefined: requested cost (sizes from `first`/`last`). With the response's data: actual cost (sizes from
 * what was returned; fields that came back null cost nothing below them).
 */
function selectionCost(w: Walk, set: SelectionSetNode, parent: GraphQLCompositeType, value?: unknown): number {
  const actual = value !== undefined;
  let total = 0;
  for (const f of fieldsOf(w, set, parent)) {
    const def = fieldDef(parent, f.node.name.value);
    if (!def || !f.node.selectionSet) {
      continue; // scalars, enums, __typename
    }
    const type = getNamedType(def.type) as GraphQLCompositeType;
    const selections = f.node.selectionSet;
    const key = f.node.alias?.value ?? f.node.name.value;
    const child = actual ? (value as Record<string, unknown> | null)?.[key] : undefined;
    if (actual && (child === null || child === undefined)) {
      continue;
    }
    if (isConnection(type)) {
      const nodes = actual ? (returnedNodes(child) ?? []) : undefined;
      const size = actual ? nodes!.length : Number(argValue(w, f.node, 'first') ?? argValue(w, f.node, 'last') ?? 0);
      const per = actual
        ? nodes!.reduce<number>((sum, n) => sum + nodeCost(w, f.node, type, [n]), 0)
        : size * nodeCost(w, f.node, type, undefined);
      total += CONNECTION_BASE_COST + per;
    } else if (actual && Array.isArray(child)) {
      total += 1 + child.reduce<number>((sum, c) => sum + selectionCost(w, selections, type, c), 0);
    } else {
      total += 1 + selectionCost(w, selections, type, child);
    }
  }
  return total;
}

/** Requested cost of one operation, or its actual cost when `data` (the response's data) is given. */
export function queryCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  data?: Record<string, unknown> | null,
): number {
  const w: Walk = { schema, fragments, variables };
  if (operation.operation === OperationTypeNode.MUTATION) {
    const root = schema.getMutationType()!;
    let total = 0;
    for (const f of fieldsOf(w, operation.selectionSet, root)) {
      const def = fieldDef(root, f.node.name.value);
      if (!def) {
        continue;
      }
      total += MUTATION_COST;
      if (f.node.selectionSet) {
        // Connections inside a payload are charged; plain payload objects are part of the flat 10.
        const type = getNamedType(def.type) as GraphQLCompositeType;
        const key = f.node.alias?.value ?? f.node.name.value;
        total += connectionsOnly(w, f.node.selectionSet, type, data ? data[key] : undefined);
      }
    }
    return total;
  }
  const root = schema.getQueryType()!;
  if (data === null) {
    return 0;
  }
  return selectionCost(w, operation.selectionSet, root, data);
}

function connectionsOnly(w: Walk, set: SelectionSetNode, parent: GraphQLCompositeType, value: unknown): number {
  let total = 0;
  for (const f of fieldsOf(w, set, parent)) {
    const def = fieldDef(parent, f.node.name.value);
    if (!def || !f.node.selectionSet) {
      continue;
    }
    const type = getNamedType(def.type) as GraphQLCompositeType;
    const key = f.node.alias?.value ?? f.node.name.value;
    const child = value === undefined ? undefined : (value as Record<string, unknown> | null)?.[key];
    if (isConnection(type)) {
      total += selectionCost(
        w,
        { kind: Kind.SELECTION_SET, selections: [f.node] },
        parent,
        value === undefined ? undefined : value,
      );
    } else if (child !== null) {
      total += connectionsOnly(w, f.node.selectionSet, type, Array.isArray(child) ? child[0] : child);
    }
  }
  return total;
}
