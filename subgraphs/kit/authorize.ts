import { ForbiddenError } from '../../domain/errors.js';
import type { Domain } from '../../domain/model.js';
import type { SubgraphContext } from './context.js';

/**
 * Least privilege, checked in every subgraph (not only at the gateway): a citizen reads only their
 * own data; staff state a purpose for every look-up of a person and need the domain's scope for
 * each domain field. Messages name no person.
 */

/**
 * May this principal look at this person's data at all? Either way the person is reported to the
 * gateway (`context.subjects`), which records the look-up or the refusal in the access trail.
 */
export function assertMayReadPerson(context: SubgraphContext, taxId: string): void {
  const refuse = (message: string) => {
    context.subjects.set(taxId, 'FORBIDDEN');
    return new ForbiddenError(message);
  };
  const { principal, purpose } = context;
  if (principal.kind === 'citizen' && principal.taxId !== taxId) throw refuse('a citizen may read only their own data');
  if (principal.kind === 'staff' && !purpose) {
    throw refuse('a look-up of a person needs its purpose: send the queue ticket or case number as the X-Purpose header');
  }
  if (!context.subjects.has(taxId)) context.subjects.set(taxId, null);
}

/**
 * May this principal have a document issued from this domain's registry about this person? Whoever
 * may read the person's domain: the citizen themself, or staff with the domain's scope. The purpose
 * is the issuance's own (an argument, checked as text), so no X-Purpose header is needed for it.
 * A refusal is reported to the gateway, which records it in the person's trail. An accepted
 * issuance is not reported: the gateway records it from the representation of the fetch that
 * issues (gateway/subgraph-source.ts), and an answer that never asks for the extract issued
 * nothing and read nothing, so it leaves no record that would say otherwise.
 */
export function assertMayIssue(context: SubgraphContext, taxId: string, domain: Domain): void {
  const { principal } = context;
  const refusal = principal.kind === 'citizen'
    ? principal.taxId !== taxId && 'a citizen may have extracts issued only about themself'
    : !principal.scopes.includes(`${domain}:read`) && `issuing this extract needs the ${domain}:read scope`;
  if (refusal) {
    context.subjects.set(taxId, 'FORBIDDEN');
    throw new ForbiddenError(refusal);
  }
}

/**
 * Record first, then ask: no partner is asked about a person unless the gateway asserted that it
 * durably recorded this look-up before sending the request.
 */
export function assertRecorded(context: SubgraphContext, taxId: string): void {
  if (!context.recorded.has(taxId)) throw new ForbiddenError('a person\'s data is read only after the look-up is recorded in the access trail');
}

/** May this principal read this domain's field? Citizens may read every domain of their own data. */
export function assertScope(context: SubgraphContext, domain: Domain): void {
  const { principal } = context;
  if (principal.kind === 'staff' && !principal.scopes.includes(`${domain}:read`)) {
    throw new ForbiddenError(`this field needs the ${domain}:read scope`);
  }
}
