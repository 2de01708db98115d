import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import type { Context } from '@opentelemetry/api';
import { ForbiddenError } from '../domain/errors.js';
import { DOMAINS, IMPERSONAL_ENTITIES, PERSON_KEYS } from '../domain/domains.js';
import { isIssuanceType } from '../domain/extract-issuance.js';
import { checkText } from '../domain/text.js';
import { randomUUID } from 'node:crypto';
import { ASSERTION_HEADER, signAssertion, type Assertion, type AssertionKey } from '../identity/assertion.js';
import type { GatewayContext } from './plugins.js';
import { injectTraceContext } from '../platform/tracing.js';

/**
 * The people an entity fetch names, from its representations (what the subgraph will resolve), by
 * the entity types domain/domains.ts declares. An entity type it does not declare fails closed: a
 * look-up whose subjects cannot be known is refused. Issuance entities (domain/extract-issuance.ts)
 * name a person too: issuancesNamed reads them.
 */
export function peopleNamed(representations: unknown): string[] {
  if (representations === undefined) return [];
  if (!Array.isArray(representations)) throw new ForbiddenError('the people this request looks up cannot be known');
  const people = new Set<string>();
  for (const r of representations as Array<Record<string, unknown>>) {
    const type = r?.__typename;
    if (typeof type === 'string' && IMPERSONAL_ENTITIES.has(type)) continue;
    if (isIssuanceType(type)) continue;
    const key = typeof type === 'string' ? PERSON_KEYS[type] : undefined;
    if (!key || typeof r[key] !== 'string') throw new ForbiddenError('the people this request looks up cannot be known');
    people.add(r[key] as string);
  }
  return [...people];
}

/**
 * The extract issuances an entity fetch asks for: whose and why, from the representations the
 * centre resolved (it checked the tax id and the purpose; the purpose is checked again here, as it
 * goes into the trail). One per representation, repeats included: each is an issuance of its own.
 */
export function issuancesNamed(representations: unknown): Array<{ taxId: string; purpose: string }> {
  if (!Array.isArray(representations)) return [];
  return (representations as Array<Record<string, unknown>>).filter((r) => isIssuanceType(r?.__typename)).map((r) => {
    const { taxId, purpose } = r;
    if (typeof taxId !== 'string' || typeof purpose !== 'string') throw new ForbiddenError('the people this request looks up cannot be known');
    try {
      return { taxId, purpose: checkText(purpose, 'purpose') };
    } catch {
      throw new ForbiddenError('the purpose of this issuance cannot be recorded');
    }
  });
}

/** The domain subgraphs a query plan fetches from (the domains of the look-up's record). */
export function plannedDomains(plan: { node?: unknown }): string[] {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.kind === 'Fetch' && typeof n.serviceName === 'string') names.add(n.serviceName);
    for (const child of [n.node, n.primary, n.rest, n.ifClause, n.elseClause, ...(Array.isArray(n.nodes) ? n.nodes : []),
      ...(Array.isArray(n.deferred) ? n.deferred : [])]) visit(child);
  };
  visit(plan.node);
  return DOMAINS.filter((d) => names.has(d));
}

/**
 * A subgraph as the gateway calls it. Before a fetch that names people goes out, their look-ups are
 * recorded (context.lookups.open); the fetch then carries an assertion bound to this subgraph and
 * to the digest of its exact body, saying the people it names are recorded. The subgraphs' reports
 * (warnings for the client; partners and people for the trail) are collected from the answer.
 */
/** Carries a pending assertion's id from willSendRequest to the fetcher, which signs over the final body. */
const PENDING_HEADER = 'x-vikno-pending-assertion';
/** How long past the answer's budget the gateway waits for a subgraph. */
const BUDGET_GRACE_MS = 100;

export class SubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly pending = new Map<string, { assertion: Assertion; signal: AbortSignal; trace: Context }>();

  constructor(private readonly subgraphName: string, url: string, assertionKey: AssertionKey) {
    super({ url });
    // The base class serialises the body and hands it to the fetcher: that is where the assertion
    // can be bound to the exact bytes. Node's fetch: the default client (make-fetch-happen) hangs on
    // loopback calls when nock is loaded, as in the tests.
    this.fetcher = (async (input: string, init: { headers: Record<string, string>; body: string }) => {
      const { [PENDING_HEADER]: id, ...headers } = init.headers;
      const pending = this.pending.get(id);
      this.pending.delete(id);
      if (!pending) throw new Error('a subgraph request without its assertion');
      headers[ASSERTION_HEADER] = await signAssertion(assertionKey, pending.assertion, { audience: subgraphName, body: init.body });
      injectTraceContext(headers, pending.trace); // the subgraph's spans join this fetch's (gateway.fetch), or the caller's trace
      return fetch(input, { ...init, headers, signal: pending.signal });
    }) as unknown as typeof this.fetcher;
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    let people: string[];
    let issuances: Array<{ taxId: string; purpose: string }>;
    try {
      people = peopleNamed(request.variables?.representations);
      issuances = issuancesNamed(request.variables?.representations);
    } catch (error) {
      throw context.lookups.fail(error as ForbiddenError);
    }
    if (people.length > 0) await context.lookups.open(people);
    if (issuances.length > 0) await context.lookups.openIssuances(issuances);
    const id = randomUUID();
    const assertion = { principal: context.principal, purpose: context.purpose, requestId: context.requestId, recorded: true, budgetMs: context.deadlineAt - Date.now() };
    // The subgraph ends its partners' work within the budget; should it not answer, the gateway stops
    // waiting soon after. One signal for all of a request's fetches: they share its deadline.
    context.subgraphDeadline ??= AbortSignal.timeout(Math.max(0, context.deadlineAt - Date.now()) + BUDGET_GRACE_MS);
    this.pending.set(id, { assertion, signal: context.subgraphDeadline, trace: context.requestScope.trace });
    request.http?.headers.set(PENDING_HEADER, id);
    request.http?.headers.set('x-request-id', context.requestId);
  }

  /** A subgraph that did not answer within the budget is a typed, retryable timeout naming its domain, not an internal error. */
  override didEncounterError(...args: Parameters<RemoteGraphQLDataSource<GatewayContext>['didEncounterError']>): void {
    const [error] = args;
    if (error?.name === 'TimeoutError' || error?.name === 'AbortError') {
      throw new GraphQLError(`the ${this.subgraphName} domain did not answer within the answer's budget`, {
        extensions: { code: 'PARTNER_TIMEOUT', retryable: true },
      });
    }
    super.didEncounterError(...args);
  }

  override async didReceiveResponse({ response, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0]) {
    const { warnings, partners, subjects } = response.extensions ?? {};
    if (Array.isArray(warnings)) context.warnings.push(...warnings);
    if (Array.isArray(partners)) context.partnerOutcomes.push(...partners);
    if (Array.isArray(subjects)) context.lookups.report(subjects);
    return response;
  }
}
