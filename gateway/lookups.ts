import { Kind, parse, type FieldNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode, type DocumentNode } from 'graphql';
import type { Domain } from '../domain/model.js';

/**
 * Which people an operation looks up, and which of their domains: read from the document before
 * anything runs, so refusals are recorded in the access trail as well as answers.
 */
export interface PersonLookups {
  operationName: string | null;
  /** Tax ids named by `citizen(taxId:)`, and the caller's own for `me` (as given: not yet validated). */
  subjects: string[];
  domains: Domain[];
}

const DOMAIN_FIELDS: Record<string, Domain> = {
  gasAccounts: 'gas', heatingAccounts: 'heating', waterAccounts: 'water', electricityAccounts: 'electricity',
  landParcels: 'cadastre', vehicles: 'vehicles',
};

function valueOf(node: ValueNode | undefined, variables: Readonly<Record<string, unknown>>): unknown {
  if (!node) return undefined;
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.STRING || node.kind === Kind.INT) return node.value;
  return undefined;
}

/** Root fields of the operation, with fragments spread in (inline and named). */
function fields(selectionSet: SelectionSetNode, document: DocumentNode): FieldNode[] {
  return selectionSet.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return [s];
    if (s.kind === Kind.INLINE_FRAGMENT) return fields(s.selectionSet, document);
    const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value);
    return fragment && fragment.kind === Kind.FRAGMENT_DEFINITION ? fields(fragment.selectionSet, document) : [];
  });
}

export function personLookups(
  query: string | DocumentNode | undefined,
  variables: Readonly<Record<string, unknown>> = {},
  operationName: string | null = null,
  ownTaxId?: string,
): PersonLookups {
  const none: PersonLookups = { operationName, subjects: [], domains: [] };
  if (!query) return none;
  let document: DocumentNode;
  try {
    document = typeof query === 'string' ? parse(query) : query;
  } catch {
    return none; // nothing runs; nobody's data is asked for
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) return none;
  const subjects = new Set<string>();
  const domains = new Set<Domain>();
  for (const root of fields(operation.selectionSet, document)) {
    const name = root.name.value;
    if (name === 'citizen') {
      const taxId = valueOf(root.arguments?.find((a) => a.name.value === 'taxId')?.value, variables);
      if (typeof taxId === 'string') subjects.add(taxId);
    } else if (name === 'me' && ownTaxId) subjects.add(ownTaxId);
    else continue;
    for (const field of root.selectionSet ? fields(root.selectionSet, document) : []) {
      const domain = DOMAIN_FIELDS[field.name.value];
      if (domain) domains.add(domain);
    }
  }
  return { operationName: operationName ?? operation.name?.value ?? null, subjects: [...subjects], domains: [...domains] };
}
