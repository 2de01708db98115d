import { codegen } from '@graphql-codegen/core';
import * as typescriptPlugin from '@graphql-codegen/typescript';
import * as typescriptResolversPlugin from '@graphql-codegen/typescript-resolvers';
import { buildASTSchema, Kind, parse, printSchema, type DocumentNode, type InterfaceTypeDefinitionNode } from 'graphql';
import path from 'node:path';
import { projectRoot } from '../domain/project-root.js';
import { declarationOf, DOMAINS } from '../domain/domains.js';
import { apiSchemaFromFiles, sharedSdl, subgraphTypeDefs, SUBGRAPH_NAMES, type SubgraphName } from './index.js';

/**
 * TypeScript types and typed resolvers generated from each subgraph's SDL (GraphQL Code Generator),
 * in subgraphs/generated/<subgraph>.ts: `npm run codegen` writes them, and a test fails when they are
 * stale. Objects a resolver receives as its parent are the domain model's (mappers), so the types
 * say what the adapters hand over and what the schema asks of it.
 */

export const GENERATED_DIR = () => path.join(projectRoot(), 'subgraphs', 'generated');
/**
 * Besides one module per subgraph, one per kind of domain: the resolvers every utility (or registry)
 * subgraph shares are written once, for all its domains, and typed against the kind's shared SDL
 * plus a stand-in for the domain's own names (its Citizen field, item type and tariffs field, which
 * the declaration gives each domain; see KIND_SDL).
 */
export const KIND_MODULES = ['utility-kind', 'registry-kind'] as const;
/**
 * And the public API's types (the composed supergraph's API schema), types only and importing
 * nothing: domain/generated/api.ts, which the domain model takes its closed sets (enums) from.
 */
export const API_MODULE = 'api';
export type GeneratedModule = SubgraphName | (typeof KIND_MODULES)[number] | typeof API_MODULE;
export const GENERATED_MODULES: readonly GeneratedModule[] = [...SUBGRAPH_NAMES, ...KIND_MODULES, API_MODULE];

export const generatedFile = (name: GeneratedModule) =>
  name === API_MODULE ? path.join(projectRoot(), 'domain', 'generated', 'api.ts') : path.join(GENERATED_DIR(), `${name}.ts`);


/** The public API's types alone. */
async function generateApiTypes(): Promise<string> {
  const output = await codegen({
    schema: parse(printSchema(apiSchemaFromFiles())), documents: [], filename: 'api.ts',
    // Enums as constant objects: the schema's closed sets are also there at run time (the
    // conformance suite checks adapters' values against them).
    config: { useTypeImports: true, enumsAsConst: true, immutableTypes: true, strictScalars: true, scalars: SCALARS },
    plugins: [{ typescript: {} }],
    pluginMap: { typescript: typescriptPlugin },
  });
  return HEADER + output;
}

/** An object type implementing the interface, with its fields: the stand-in for every utility's account type. */
function implementing(iface: InterfaceTypeDefinitionNode, name: string): DocumentNode['definitions'][number] {
  return {
    kind: Kind.OBJECT_TYPE_DEFINITION, name: { kind: Kind.NAME, value: name },
    interfaces: [{ kind: Kind.NAMED_TYPE, name: iface.name }], fields: iface.fields, directives: [],
  };
}

/** The stand-ins: the names a domain's declaration gives, replaced by fixed ones. */
const KIND_SDL: Readonly<Record<(typeof KIND_MODULES)[number], () => DocumentNode>> = {
  'utility-kind': () => {
    const shared = parse(sharedSdl('utility'));
    const iface = shared.definitions.find((d): d is InterfaceTypeDefinitionNode => d.kind === Kind.INTERFACE_TYPE_DEFINITION && d.name.value === 'UtilityAccount')!;
    const own = parse(`
      type Query { tariffs: [Tariff!] }
      type Citizen @key(fields: "taxId") { taxId: ID! accounts: [UtilityKindAccount!] }
    `);
    return { kind: Kind.DOCUMENT, definitions: [...shared.definitions, ...own.definitions, implementing(iface, 'UtilityKindAccount')] };
  },
  'registry-kind': () => parse(`${sharedSdl('registry')}
    type Citizen @key(fields: "taxId") { taxId: ID! items: [RegistryKindItem!] }
    "A registry's item as the kind's shared resolvers see it: its global id, partner and last issued extract."
    type RegistryKindItem { id: ID! partner: Partner! issuedExtract: RegistryExtract }
    "A registry's issuance entity (its key also names the item, by the field the declaration says)."
    type RegistryKindIssuance @key(fields: "taxId purpose") { taxId: ID! purpose: String! extract: RegistryExtract }
  `),
};

const MODEL = '../../domain/model.js';

/**
 * GraphQL object types whose resolvers receive the domain model's object of the same name (or
 * another): the shared ones, and each domain's item type (its declaration names it).
 */
const MAPPERS: Readonly<Record<string, string>> = {
  Citizen: '{ taxId: string }',
  Partner: `${MODEL}#PartnerRef`,
  Provenance: `${MODEL}#Provenance`,
  // Kept in minor units; its `amount` is resolved (subgraphs/kit/partner-data.ts).
  Money: '../../domain/money.js#Money',
  Tariff: `${MODEL}#Tariff`,
  UtilityAccount: `${MODEL}#UtilityAccount`,
  UtilityKindAccount: `${MODEL}#UtilityAccount`,
  RegistryKindItem: '../registry/create-registry-subgraph.js#RegistryItem',
  RegistryKindIssuance: '../registry/issue-extract.js#IssuanceRepresentation',
  RegistryExtract: `${MODEL}#RegistryExtract`,
  ...Object.fromEntries(DOMAINS.map((d) => [declarationOf(d).itemType, `${MODEL}#${declarationOf(d).itemType}`])),
};

/** Mappers of one module only: the centre's objects are its own views, not the partners' model. */
const MODULE_MAPPERS: Readonly<Partial<Record<string, Readonly<Record<string, string>>>>> = {
  centre: {
    Partner: '../centre/index.js#PartnerView',
    AccessLogConnection: '../centre/access-log.js#AccessLogPage',
    AccessLogPartner: '../centre/access-log.js#AccessLogPartnerView',
    ParcelExtractIssuance: '../centre/issuance.js#IssuanceView',
    VehicleExtractIssuance: '../centre/issuance.js#IssuanceView',
  },
};

/** Every scalar as TypeScript sees it: all strings on the wire. */
const SCALARS = { Date: 'string', DateTime: 'string', Decimal: 'string', YearMonth: 'string', FieldSet: 'string' };

const HEADER = '/* Generated by `npm run codegen` (schema/codegen.ts) from the SDL: do not edit. */\n';

/** Federation's directives as plain definitions: the generator reads @key (federation: true); the rest are left to Apollo. */
const FEDERATION_DIRECTIVES = parse(`
  scalar FieldSet
  directive @key(fields: FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
  directive @shareable repeatable on OBJECT | FIELD_DEFINITION
`);

/** The module's SDL without `extend schema @link(...)`, with the directives it uses defined. */
function plainSdl(name: Exclude<GeneratedModule, typeof API_MODULE>): DocumentNode {
  const sdl = name === 'utility-kind' || name === 'registry-kind' ? KIND_SDL[name]() : subgraphTypeDefs(name);
  const own = sdl.definitions.filter((d) => d.kind !== Kind.SCHEMA_EXTENSION);
  return { kind: Kind.DOCUMENT, definitions: [...FEDERATION_DIRECTIVES.definitions, ...own] };
}

/** The generated module of one subgraph, as text. */
export async function generateSubgraphTypes(name: GeneratedModule): Promise<string> {
  if (name === API_MODULE) return generateApiTypes();
  const document = plainSdl(name);
  const schema = buildASTSchema(document);
  // Only the mappers of types this subgraph has: an unused import would not compile.
  const mappers = Object.fromEntries(Object.entries({ ...MAPPERS, ...MODULE_MAPPERS[name] }).filter(([type]) => schema.getType(type)));
  const output = await codegen({
    schema: document,
    documents: [],
    filename: `${name}.ts`,
    config: {
      federation: true,
      useTypeImports: true,
      enumsAsTypes: true,
      immutableTypes: true,
      // A scalar not listed here fails the generation (strictScalars) instead of becoming `any`.
      strictScalars: true,
      scalars: SCALARS,
      mappers,
      mapperTypeSuffix: 'Model',
      defaultMapper: 'Partial<{T}>',
      contextType: '../kit/context.js#SubgraphContext',
    },
    plugins: [{ typescript: {} }, { typescriptResolvers: {} }],
    pluginMap: { typescript: typescriptPlugin, typescriptResolvers: typescriptResolversPlugin },
  });
  return HEADER + output;
}

export async function generateAll(): Promise<Record<GeneratedModule, string>> {
  const entries = await Promise.all(GENERATED_MODULES.map(async (n) => [n, await generateSubgraphTypes(n)] as const));
  return Object.fromEntries(entries) as Record<GeneratedModule, string>;
}
