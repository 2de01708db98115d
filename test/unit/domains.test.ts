import Keyv from 'keyv';
import { Kind, type EnumTypeDefinitionNode, type ObjectTypeDefinitionNode, type TypeNode } from 'graphql';
import { withResilience } from '../../adapters/core/resilient.js';
import { createKeyedHash } from '../../platform/keyed-hash.js';
import { silentLogger } from '../../platform/logger.js';
import type { DomainOperations } from '../../adapters/core/contract.js';
import { probeFor } from '../../adapters/conformance/probes.js';
import { declarationOf, DOMAINS, domainsOfKind } from '../../domain/domains.js';
import { ALL_SCOPES } from '../../identity/principal.js';
import { SUBGRAPH_NAMES, SUBGRAPHS, subgraphTypeDefs } from '../../schema/index.js';

/** `[T!]` as text, for comparing field types. */
const typeText = (t: TypeNode): string =>
  t.kind === Kind.NON_NULL_TYPE ? `${typeText(t.type)}!` : t.kind === Kind.LIST_TYPE ? `[${typeText(t.type)}]` : t.name.value;

const objectType = (domain: (typeof DOMAINS)[number], name: string) =>
  subgraphTypeDefs(domain).definitions.find((d): d is ObjectTypeDefinitionNode =>
    (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) && d.name.value === name);

describe('the domain declarations (domain/domains.ts)', () => {
  it('are what the scopes, the subgraph list and the conformance probes are made of', () => {
    expect(DOMAINS).toEqual(['gas', 'heating', 'water', 'electricity', 'cadastre', 'vehicles', 'housing']);
    expect(ALL_SCOPES).toEqual(DOMAINS.map((d) => `${d}:read`));
    expect(SUBGRAPH_NAMES).toEqual(['centre', ...DOMAINS]);
    expect(Object.fromEntries(DOMAINS.map((d) => [d, SUBGRAPHS[d].defaultPort]))).toEqual(
      Object.fromEntries(DOMAINS.map((d) => [d, declarationOf(d).defaultPort])));
    expect(new Set(SUBGRAPH_NAMES.map((n) => SUBGRAPHS[n].defaultPort)).size).toBe(SUBGRAPH_NAMES.length);
    expect(DOMAINS.map((d) => [d, probeFor(d).batchOp, probeFor(d).singleOp, probeFor(d).noun])).toEqual([
      ['gas', 'accountsByTaxIds', 'tariffs', 'account'],
      ['heating', 'accountsByTaxIds', 'tariffs', 'account'],
      ['water', 'accountsByTaxIds', 'tariffs', 'account'],
      ['electricity', 'accountsByTaxIds', 'tariffs', 'account'],
      ['cadastre', 'parcelsByOwners', 'parcelExtract', 'parcel'],
      ['vehicles', 'vehiclesByOwners', 'registrationExtract', 'vehicle'],
      ['housing', 'accountsByTaxIds', 'tariffs', 'account'],
    ]);
  });

  it('match each domain\'s SDL: its Citizen field lists its item type, a utility has its tariffs field', () => {
    for (const domain of DOMAINS) {
      const declaration = declarationOf(domain);
      const citizen = objectType(domain, 'Citizen');
      const field = citizen?.fields?.find((f) => f.name.value === declaration.citizenField);
      expect([domain, field && typeText(field.type)]).toEqual([domain, `[${declaration.itemType}!]`]);
      expect([domain, objectType(domain, declaration.itemType)?.name.value]).toEqual([domain, declaration.itemType]);
      if (declaration.kind === 'utility') {
        const query = objectType(domain, 'Query');
        expect([domain, query?.fields?.some((f) => f.name.value === declaration.tariffsField)]).toEqual([domain, true]);
      }
    }
    expect(domainsOfKind('registry')).toEqual(['cadastre', 'vehicles']);
  });

  it('are the values of the schema\'s Domain and UtilityService enums, which the SDL states too', () => {
    const enumValues = (subgraph: 'centre' | 'gas', name: string) => subgraphTypeDefs(subgraph).definitions
      .find((d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === name)?.values?.map((v) => v.name.value);
    expect(enumValues('centre', 'Domain')).toEqual(DOMAINS.map((d) => d.toUpperCase()));
    expect(enumValues('gas', 'UtilityService')).toEqual(domainsOfKind('utility').map((d) => {
      const declaration = declarationOf(d);
      return declaration.kind === 'utility' ? declaration.service : '';
    }));
  });

  it('choose the resilience of an operation by its declared kind, and refuse an operation they do not declare', () => {
    const options = {
      partnerId: 'cadastre-test', keyv: new Keyv({ store: new Map() }) as never, hash: createKeyedHash('a test secret of some length'),
      clock: { now: () => new Date('2026-11-22T09:00:00.000Z') }, log: silentLogger(),
      deadlineMs: 1000, recordsTtlMs: 60_000, extractsTtlMs: 86_400_000, maxStaleMs: 3_600_000,
    };
    const declared = { parcelsByOwners: async () => [], parcelExtract: async () => { throw new Error('not called'); } } as unknown as DomainOperations['cadastre'];
    expect(Object.keys(withResilience('cadastre', declared, options))).toEqual(['parcelsByOwners', 'parcelExtract']);
    const renamed = { ...declared, parcelsOfOwners: async () => [] } as unknown as DomainOperations['cadastre'];
    expect(() => withResilience('cadastre', renamed, options)).toThrow(new TypeError(
      'partner cadastre-test: operation "parcelsOfOwners" is not declared for the cadastre domain (declared: parcelsByOwners, parcelExtract)'));
  });
});
