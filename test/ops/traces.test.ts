import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing, inSpan, SpanKind, otlpTracesUrl, type Tracing } from '../../platform/tracing.js';
import { createPartnerHttp } from '../../adapters/core/http.js';
import { silentLogger } from '../../platform/logger.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const DEMO_TAX_IDS = ['3111901220', '2660404572'];
const QUERY = 'query GasOfCitizen($taxId: ID!) { citizen(taxId: $taxId) { gasAccounts { accountNumber } } }';

/** Spans as they end, and a promise for the first one of a name (the request's own span ends last: after its answer is sent). */
function recordingExporter() {
  const exporter = new InMemorySpanExporter();
  const waiting = new Map<string, (span: ReadableSpan) => void>();
  const exportSpans = exporter.export.bind(exporter);
  exporter.export = (spans, done) => {
    exportSpans(spans, done);
    for (const span of spans) waiting.get(span.name)?.(span);
  };
  const ended = (name: string) => new Promise<ReadableSpan>((resolve) => waiting.set(name, resolve));
  return { exporter, ended };
}

interface Node { name: string; kind: string; children: Node[] }

/** The trace of `root` as a tree of span names and kinds, children sorted by name. */
function treeOf(spans: readonly ReadableSpan[], root: ReadableSpan): Node {
  const children = spans.filter((s) => s.parentSpanContext?.spanId === root.spanContext().spanId);
  return {
    name: root.name, kind: SpanKind[root.kind],
    children: children.map((c) => treeOf(spans, c)).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

let tracing: Tracing;
let recording: ReturnType<typeof recordingExporter>;
let stack: TestStack;

beforeAll(async () => {
  recording = recordingExporter();
  tracing = startTracing({ service: 'vikno-test', exporter: recording.exporter });
  stack = await startTestStack({ cache: false });
});
afterAll(async () => {
  await stack.stop();
  await tracing.stop();
});
beforeEach(() => recording.exporter.reset());

describe('traces', () => {
  it('follows one look-up in one trace: the gateway, each subgraph it asks and each partner call, each under its caller', async () => {
    const rootEnded = recording.ended('gateway request');
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token()}`, 'x-purpose': 'A-017' },
      body: JSON.stringify({ query: QUERY, variables: { taxId: DEMO_TAX_IDS[0] } }),
    });
    expect((await response.json() as { errors?: unknown }).errors).toBeUndefined();
    const root = await rootEnded;
    const spans = recording.exporter.getFinishedSpans();

    expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set([root.spanContext().traceId]));
    // The contract's operation, and under it the partner protocol's call.
    const partner = (id: string, method: string, operation: string): Node => ({
      name: `partner ${id} accountsByTaxIds`, kind: 'INTERNAL', children: [{ name: `${method} ${id} ${operation}`, kind: 'CLIENT', children: [] }],
    });
    // Tariffs are asked once per stack and then cached: present here if this is the stack's first look-up.
    const withoutTariffs = (node: Node): Node => ({ ...node, children: node.children.filter((c) => !c.name.endsWith(' tariffs')).map(withoutTariffs) });
    expect(withoutTariffs(treeOf(spans, root))).toEqual({
      name: 'gateway request', kind: 'SERVER', children: [{
        name: 'gateway.request', kind: 'INTERNAL', children: [
          { name: 'gateway.execute', kind: 'INTERNAL', children: [
            { name: 'gateway.fetch', kind: 'INTERNAL', children: [{ name: 'centre request', kind: 'SERVER', children: [] }] },
            { name: 'gateway.fetch', kind: 'INTERNAL', children: [{
              name: 'gas request', kind: 'SERVER', children: [partner('gas-kryvyi-rih', 'POST', 'batchLookup'), partner('gas-vinnytsia', 'POST', 'abonents')],
            }] },
            { name: 'gateway.postprocessing', kind: 'INTERNAL', children: [] },
          ] },
          { name: 'gateway.plan', kind: 'INTERNAL', children: [] },
          { name: 'gateway.validate', kind: 'INTERNAL', children: [] },
        ],
      }],
    });
  });

  it('puts no tax id in any span: names, attributes, events and status', async () => {
    const rootEnded = recording.ended('gateway request');
    // Inline in the query text too, where a careless span would copy it from the document.
    await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token()}`, 'x-purpose': 'A-017' },
      body: JSON.stringify({ query: `{ citizen(taxId: "${DEMO_TAX_IDS[1]}") { taxId gasAccounts { accountNumber } electricityAccounts { accountNumber } landParcels { cadastralNumber } } }` }),
    });
    await rootEnded;
    const spans = recording.exporter.getFinishedSpans();
    const text = JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, resource: s.resource.attributes })));
    expect(spans.length).toBeGreaterThan(10);
    for (const taxId of DEMO_TAX_IDS) expect(text).not.toContain(taxId);
  });

  it("sends the call's trace context to the partner in traceparent", async () => {
    let received: IncomingHttpHeaders | undefined;
    const server = createServer((req, res) => { received = req.headers; res.setHeader('content-type', 'application/json').end('{}'); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const http = createPartnerHttp({ partnerId: 'test-partner', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 1000, log: silentLogger() });
      const context = await inSpan('POST test-partner lookup', SpanKind.CLIENT, {}, async (span) => {
        await http.request('lookup', { method: 'POST', path: '/lookup', json: {} });
        return span.spanContext();
      });
      expect(received?.traceparent).toBe(`00-${context.traceId}-${context.spanId}-01`);
      expect(received?.baggage).toBeUndefined();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('otlpTracesUrl', () => {
  it.each([
    [{}, null],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, 'http://collector:4318/v1/traces'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, 'http://collector:4318/v1/traces'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4318/x' }, 'http://traces:4318/x'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }, null],
  ])('reads %j as %s', (env, url) => {
    expect(otlpTracesUrl(env)).toBe(url);
  });

  it('registers a provider whose spans record', () => {
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(true);
  });
});
