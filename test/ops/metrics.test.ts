import { startTestStack, type TestStack } from '../helpers/stack.js';

const QUERY = 'query GasOfCitizen($taxId: ID!) { citizen(taxId: $taxId) { gasAccounts { accountNumber } } }';
let stack: TestStack;
let gatewayText: string;

/** The samples of one metric in Prometheus text: labels → value. */
function samples(text: string, metric: string): Record<string, number> {
  const lines = text.split('\n').filter((l) => l.startsWith(`${metric}{`) || l.startsWith(`${metric} `));
  return Object.fromEntries(lines.map((l) => {
    const at = l.lastIndexOf(' ');
    return [l.slice(metric.length, at).replace(/^\{|\}$/g, ''), Number(l.slice(at + 1))];
  }));
}

const scrape = async (url: string) => (await fetch(url)).text();
const metricsUrl = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '/metrics');

// One scenario for the whole file, before any test reads: the same look-up twice (a partner call,
// then the cache) and one request without a token. Scraping counts as nothing, so tests read in any order.
beforeAll(async () => {
  stack = await startTestStack();
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${await stack.token()}`, 'x-purpose': 'A-017' };
  for (let i = 0; i < 2; i++) {
    const response = await fetch(stack.gatewayUrl, { method: 'POST', headers, body: JSON.stringify({ query: QUERY, variables: { taxId: '3111901220' } }) });
    expect(await response.json()).toEqual({ data: { citizen: { gasAccounts: expect.any(Array) } } });
  }
  await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
  gatewayText = await scrape(metricsUrl(stack.gatewayUrl));
});
afterAll(() => stack.stop());

describe('metrics at GET /metrics', () => {
  it('counts requests by service, operation and outcome, refusals before authentication included', () => {
    expect(samples(gatewayText, 'vikno_graphql_requests_total')).toEqual({
      'service="centre",operation="GasOfCitizen",outcome="OK"': 2,
      'service="gas",operation="GasOfCitizen",outcome="OK"': 2,
      'service="gateway",operation="GasOfCitizen",outcome="OK"': 2,
      'service="gateway",operation="anonymous",outcome="UNAUTHENTICATED"': 1,
    });
    expect(samples(gatewayText, 'vikno_graphql_request_duration_seconds_count')).toEqual(samples(gatewayText, 'vikno_graphql_requests_total'));
  });

  it('counts partner calls by partner, protocol operation and outcome, with their latency', () => {
    const calls = {
      'partner="gas-kryvyi-rih",operation="batchLookup",outcome="OK"': 1,
      'partner="gas-kryvyi-rih",operation="tariffs",outcome="OK"': 1,
      'partner="gas-vinnytsia",operation="abonents",outcome="OK"': 1,
      'partner="gas-vinnytsia",operation="tariffs",outcome="OK"': 1,
    };
    expect(samples(gatewayText, 'vikno_partner_calls_total')).toEqual(calls);
    expect(samples(gatewayText, 'vikno_partner_call_duration_seconds_count')).toEqual(calls);
  });

  it('counts cache hits and misses per partner and cache, never a key', () => {
    expect(samples(gatewayText, 'vikno_partner_cache_lookups_total')).toEqual({
      'partner="gas-kryvyi-rih",cache="records",result="miss"': 1,
      'partner="gas-kryvyi-rih",cache="records",result="hit"': 1,
      'partner="gas-kryvyi-rih",cache="adapter",result="miss"': 1,
      'partner="gas-vinnytsia",cache="records",result="miss"': 1,
      'partner="gas-vinnytsia",cache="records",result="hit"': 1,
      'partner="gas-vinnytsia",cache="adapter",result="miss"': 1,
    });
  });

  it("reports every partner's circuit, closed", () => {
    expect(samples(gatewayText, 'vikno_partner_circuit_state')).toEqual(
      Object.fromEntries(stack.partners.map((p) => [`partner="${p.ref.id}"`, 0])),
    );
  });

  it('times the access trail writes: each look-up opens its record, then completes it', () => {
    expect(samples(gatewayText, 'vikno_trail_appends_total')).toEqual({ 'outcome="ok"': 4 });
    expect(samples(gatewayText, 'vikno_trail_append_duration_seconds_count')).toEqual({ 'outcome="ok"': 4 });
  });

  it("keeps the gateway's refusal counters under their names", () => {
    for (const name of ['vikno_lookup_refusals_total', 'vikno_lookup_pace_alerts_total', 'vikno_unauthenticated_refusals_total', 'vikno_trail_failures_total']) {
      expect(gatewayText).toContain(`# TYPE ${name} counter`);
    }
  });

  it("serves the process's one registry at each subgraph's /metrics too (the embedded default)", async () => {
    const gasText = await scrape(metricsUrl(stack.subgraphUrls.gas));
    for (const metric of ['vikno_graphql_requests_total', 'vikno_partner_calls_total', 'vikno_trail_appends_total']) {
      expect(samples(gasText, metric)).toEqual(samples(gatewayText, metric));
    }
  });

  it('holds no personal data', () => {
    for (const personal of ['3111901220', 'Коваленко', 'Металургів']) expect(gatewayText).not.toContain(personal);
  });
});
