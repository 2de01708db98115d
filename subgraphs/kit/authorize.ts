import { ForbiddenError } from '../../domain/errors.js';
import type { Domain } from '../../domain/model.js';
import type { SubgraphContext } from './context.js';

/**
 * Least privilege, checked in every subgraph (not only at the gateway): a citizen reads only their
 * own data; staff state a purpose for every look-up of a person and need the domain's scope for
 * each domain field. Messages name no person.
 */

/** May this principal look at this person's data at all? */
export function assertMayReadPerson(context: SubgraphContext, taxId: string): void {
  const { principal, purpose } = context;
  if (principal.kind === 'citizen') {
    if (principal.taxId !== taxId) throw new ForbiddenError("a citizen may read only their own data");
    return;
  }
  if (!purpose) throw new ForbiddenError('a look-up of a person needs its purpose: send the queue ticket or case number as the X-Purpose header');
}

/** May this principal read this domain's field? Citizens may read every domain of their own data. */
export function assertScope(context: SubgraphContext, domain: Domain): void {
  const { principal } = context;
  if (principal.kind === 'staff' && !principal.scopes.includes(`${domain}:read`)) {
    throw new ForbiddenError(`this field needs the ${domain}:read scope`);
  }
}
