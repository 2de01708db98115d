import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadQuery } from '../../docs/queries/index.js';
import { projectRoot } from '../../domain/project-root.js';
import { gql, startTestStack, type GraphQLResponse } from '../helpers/stack.js';
import { callsByOperation, LISTING_CALL, PARTNER_IDS, TAX_ID } from './fault-query.js';

/**
 * No thundering herd: fifty desks opening the same citizen at once cost each partner the calls of
 * one desk. Each request has its own DataLoaders, so the sharing across requests is the partners'
 * in-flight calls for records, the tariff cache's single flight and the shared OAuth2 token (never an
 * extract's issuance: that is a mutation, and each issues its own, test/security/extract-issuance.test.ts);
 * a desk arriving after a call has ended gets the cached copy (the memorandum's TTLs apply here).
 */

const DESKS = 50;
/** Every partner answers after 100 ms, so the fifty requests overlap at every partner. */
const SLOW = { latencyMs: 100 };

const overview = loadQuery('overview');
/** The overview of 2660404572 as test/federation/overview.test.ts pins it (read only: this file never rewrites it). */
const OVERVIEW_ANSWER = JSON.parse(readFileSync(path.join(projectRoot(), 'test', 'fixtures', 'golden', 'overview-2660404572.json'), 'utf8')) as GraphQLResponse;

/** A desk that shared another's call sees LIVE data; one that came after it ended, the CACHED copy. Both are fine here. */
const sharedOrCached = (answer: GraphQLResponse): unknown =>
  JSON.parse(JSON.stringify(answer), (key, value) => (key === 'freshness' && (value === 'LIVE' || value === 'CACHED') ? 'LIVE or CACHED' : value));

/** Starts a cold stack, sends `desks` overview queries at once, and returns their answers and the partners' calls. */
async function open(desks: number): Promise<{ answers: unknown[]; calls: Record<string, Record<string, number>> }> {
  // Fifty whole overviews at once on a shared two-core machine can take longer than the default answer
  // budget; what is counted here is the partners' calls, so the budget is set out of the way.
  // Fifty desks at the same instant: more than the gateway admits at once by default (32); and on a
  // busy CI machine the fifty overviews in one process saturate its event loop, which admission
  // would rightly refuse (test/ops/admission.test.ts covers that). Neither is what is counted here.
  const admission = { maxInFlight: 100, maxEventLoopDelayMs: Number.POSITIVE_INFINITY };
  const stack = await startTestStack({ faults: Object.fromEntries(PARTNER_IDS.map((id) => [id, SLOW])), answerBudgetMs: 20_000, admission });
  try {
    const answers = await Promise.all(Array.from({ length: desks }, () => gql(stack.gatewayUrl, overview, { taxId: TAX_ID })));
    return { answers: answers.map(sharedOrCached), calls: callsByOperation(stack) };
  } finally {
    await stack.stop();
  }
}

describe(`${DESKS} desks opening the same citizen at once`, () => {
  it('make, at each partner, exactly the calls one desk makes on a cold stack, and all get a whole answer', async () => {
    const one = await open(1);
    const herd = await open(DESKS);

    expect(one.answers).toEqual([sharedOrCached(OVERVIEW_ANSWER)]);
    expect(herd.answers).toEqual(Array.from({ length: DESKS }, () => one.answers[0]));
    // One desk's calls are the measure: every emulated partner was called, each listing the citizen's
    // records exactly once (tariffs and an OAuth2 token once too, where a partner has them; the
    // overview issues no extract).
    expect(Object.keys(one.calls).sort()).toEqual([...PARTNER_IDS].sort());
    expect(Object.fromEntries(PARTNER_IDS.map((id) => [id, one.calls[id][LISTING_CALL[id]]]))).toEqual(Object.fromEntries(PARTNER_IDS.map((id) => [id, 1])));
    expect(herd.calls).toEqual(one.calls);
  });
});
