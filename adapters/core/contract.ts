/**
 * The adapter contract: what each domain's adapter must do. Subgraphs call only these operations.
 *
 * Batch rule (as graphql/dataloader): a batch operation gets keys and resolves to an array of the
 * same length, in the same order, holding for each key either its value or an Error (a per-key
 * failure, which must not fail the other keys). A person unknown to the partner is an empty list:
 * the partner answered "no records". A key the partner's answer leaves out altogether is a
 * per-key PARTNER_BAD_RESPONSE.
 *
 * Every error that leaves an operation is a catalogued ViknoError (domain/errors.ts).
 */
import type { DeclarationOf, Domain, RegistryDeclaration, UtilityDeclaration } from '../../domain/domains.js';
import type { RegistryExtract, Tariff } from '../../domain/model.js';

/** Who is asking and why; travels to the partners that want it (X-Road-style headers). */
export interface CallContext {
  requestId: string;
  /** The official acting, for registries that record it. */
  officialId?: string;
  /** The purpose of the look-up (queue ticket or case number). */
  purpose?: string;
  /**
   * Epoch ms by which the whole answer must be ready (the gateway's answer budget): every partner
   * operation of the request, however many calls it makes, ends by then.
   */
  deadlineAt?: number;
}

export type BatchResult<T> = Array<T | Error>;

export interface UtilityOperations<A> {
  /** Accounts of each person. Batch rule above. */
  accountsByTaxIds(taxIds: readonly string[], call: CallContext): Promise<BatchResult<A[]>>;
  /** The partner's published tariffs, current and past. */
  tariffs(call: CallContext): Promise<Tariff[]>;
}

/** A registry's operations, named by its declaration: the listing and the extract. */
export type RegistryOperations<Item, List extends string, Extract extends string> =
  & { [K in List]: (taxIds: readonly string[], call: CallContext) => Promise<BatchResult<Item[]>> }
  & { [K in Extract]: (subject: string, call: CallContext) => Promise<RegistryExtract> };

type OperationsOf<Decl> =
  Decl extends UtilityDeclaration<infer Item> ? UtilityOperations<Item>
    : Decl extends RegistryDeclaration<infer Item, infer List, infer Extract> ? RegistryOperations<Item, List, Extract>
      : never;

/** Each domain's operations, as its declaration (domain/domains.ts) says. */
export type DomainOperations = { [D in Domain]: OperationsOf<DeclarationOf<D>> };
