import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { currentRequest } from './request-context.js';
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-node';

/**
 * OpenTelemetry traces: one trace per request, from the gateway through the subgraphs to every
 * partner call, carried between processes in the W3C `traceparent` header. Span names and
 * attributes name services, operations and partners, never a person: no tax id, no query text, no
 * variables, no URL (a partner's URL can hold a tax id).
 *
 * The tracer provider is the one thing here that is global: Apollo Gateway creates its own spans
 * (gateway.request, gateway.plan, gateway.fetch …) through the global @opentelemetry/api. Until
 * startTracing runs, every span is a no-op and nothing is propagated.
 */
export interface TracingOptions {
  /** service.name of the spans (OTEL_SERVICE_NAME wins). */
  service: string;
  /** OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME, OTEL_TRACES_EXPORTER. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where spans go instead, each as it ends (tests: an InMemorySpanExporter). */
  exporter?: SpanExporter;
}

export interface Tracing {
  /** Where spans are exported: the OTLP URL, 'custom' for a handed-in exporter, or null (spans only propagate context). */
  readonly exportTo: string | null;
  /** Sends what is left and unregisters the provider. */
  stop(): Promise<void>;
}

/** The OTLP/HTTP traces URL from the standard variables, or null when none is set (or OTEL_TRACES_EXPORTER=none). */
export function otlpTracesUrl(env: Readonly<Record<string, string | undefined>>): string | null {
  if (env.OTEL_TRACES_EXPORTER === 'none') return null;
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return null;
}

/**
 * Registers this process's tracer provider; call once, at start-up, before the services are built.
 * With nowhere to export, no provider is registered: a span nobody exports is work for nothing
 * (Apollo Gateway alone makes a dozen per look-up). Nor is a context manager: its AsyncLocalStorage
 * would put promise hooks on every promise of the process. The caller's trace context still travels,
 * in the request's scope (RequestScope.trace), so a caller's `traceparent` reaches subgraphs and partners.
 */
export function startTracing(options: TracingOptions): Tracing {
  const env = options.env ?? {};
  const url = options.exporter ? null : otlpTracesUrl(env);
  // Trace context only: W3C baggage would carry whatever a client put in it on to every partner.
  const propagator = new W3CTraceContextPropagator();
  let provider: NodeTracerProvider | undefined;
  if (options.exporter || url) {
    const spanProcessors: SpanProcessor[] = options.exporter ? [new SimpleSpanProcessor(options.exporter)] : [new BatchSpanProcessor(new OTLPTraceExporter({ url: url! }))];
    provider = new NodeTracerProvider({ resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || options.service }), spanProcessors });
    provider.register({ propagator });
  } else {
    propagation.setGlobalPropagator(propagator);
  }
  return {
    exportTo: options.exporter ? 'custom' : url,
    async stop() {
      await provider?.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

const tracer = () => trace.getTracer('vikno');

/**
 * Adds the trace context (`traceparent`) to outgoing headers: the active span's when spans are made
 * (a provider's context manager knows it), else the request's (`request`, or the scope this code
 * runs in).
 */
export function injectTraceContext(headers: Record<string, unknown>, request?: Context): void {
  const active = context.active();
  propagation.inject(active !== ROOT_CONTEXT ? active : request ?? currentRequest()?.trace ?? ROOT_CONTEXT, headers);
}

/** A server span for an incoming request, continuing the caller's trace if its headers carry one. */
export function startServerSpan(name: string, headers: Record<string, string | string[] | undefined>, attributes: Attributes): { span: Span; context: Context } {
  const parent = propagation.extract(context.active(), headers);
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** Runs `fn` in a span that ends with it: an error sets its status, with the error's code only (messages can name things). */
export async function inSpan<T>(name: string, kind: SpanKind, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      span.setStatus({ code: SpanStatusCode.ERROR, message: typeof code === 'string' ? code : 'error' });
      throw error;
    } finally {
      span.end();
    }
  });
}

export { SpanKind, SpanStatusCode, context as otelContext };
