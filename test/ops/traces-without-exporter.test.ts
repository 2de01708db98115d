import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { startTracing, startServerSpan, inSpan, injectTraceContext, SpanKind, type Tracing } from '../../platform/tracing.js';
import { runInRequest } from '../../platform/request-context.js';
import { createPartnerHttp } from '../../adapters/core/http.js';
import { silentLogger } from '../../platform/logger.js';

// No OTLP endpoint (the embedded default, a laptop): nothing is recorded, the caller's trace still travels.
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

let tracing: Tracing;
beforeAll(() => { tracing = startTracing({ service: 'vikno-test', env: {} }); });
afterAll(() => tracing.stop());

describe('tracing with nowhere to export', () => {
  it('exports nowhere and records no span', () => {
    expect(tracing.exportTo).toBeNull();
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
  });

  it("passes the caller's traceparent on to a partner call made while the request runs", async () => {
    const received = await partnerCallHeaders({ traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` });
    expect(received.traceparent).toBe(`00-${CALLER_TRACE}-${CALLER_SPAN}-01`);
  });

  it('sends no traceparent when the caller sent none', async () => {
    const received = await partnerCallHeaders({});
    expect(received.traceparent).toBeUndefined();
  });

  it("passes it on from a request's context handed in, where no request scope is carried (the gateway's subgraph fetches)", () => {
    const { context } = startServerSpan('gateway request', { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` }, {});
    const headers: Record<string, string> = {};
    injectTraceContext(headers, context);
    expect(headers).toEqual({ traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` });
  });
});

/** The headers a partner receives from a call made (in a client span) while a request with `incoming` headers runs, in its scope as requestScope makes it. */
async function partnerCallHeaders(incoming: Record<string, string>): Promise<IncomingHttpHeaders> {
  let received: IncomingHttpHeaders | undefined;
  const server = createServer((req, res) => { received = req.headers; res.setHeader('content-type', 'application/json').end('{}'); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const http = createPartnerHttp({ partnerId: 'test-partner', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 1000, log: silentLogger() });
    const { span, context } = startServerSpan('gas request', incoming, {});
    await runInRequest({ requestId: 'test-request', trace: context }, () => inSpan('POST test-partner lookup', SpanKind.CLIENT, {}, () => http.request('lookup', { method: 'POST', path: '/lookup', json: {} })));
    span.end();
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  if (!received) throw new Error('the partner was not called');
  return received;
}
