import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ClassifiedFailure, PartnerHttp } from '../core/http.js';
import { BadUserInputError, PartnerBadResponseError, PartnerUnavailableError } from '../../domain/errors.js';

/**
 * A SOAP 1.1 client for the heating company's legacy billing service: builds the envelope with a
 * WS-Security UsernameToken, reads the answer, and turns SOAP Faults into catalogued errors.
 */

export const SERVICE_PATH = '/billing/BillingService.asmx';
export const BILLING_NS = 'http://teplo.kr.ua/billing/2011/';
const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const PASSWORD_TEXT = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';

/** Elements that are lists in the service's answers, even when they hold one item. */
const LIST_ELEMENTS = new Set(['string', 'Misiats', 'Pokaznyk', 'Taryf', 'Skladova']);
/** WS-Security fault codes (OASIS WSS 1.1, section 12): our credentials were refused. */
const AUTH_FAULTS = new Set(['FailedAuthentication', 'InvalidSecurity', 'InvalidSecurityToken', 'FailedCheck', 'SecurityTokenUnavailable', 'UnsupportedSecurityToken']);

export interface SoapCredentials {
  username: string;
  password: string;
}

export interface SoapClient {
  /** Calls one operation; resolves to its `<op>Response` element, parsed (every value a string). */
  call(operation: string, params?: Record<string, string>): Promise<unknown>;
}

/** The catalogued error for a SOAP Fault's code, and what kind of failure it is (failure.ts). Fault strings can hold input data, so none is kept. */
export function classifyFault(partnerId: string, faultcode: unknown, cause?: unknown): ClassifiedFailure {
  const local = (String(faultcode).split(':').pop() ?? '').split('.')[0];
  if (AUTH_FAULTS.has(local)) return { kind: 'BROKEN', error: new PartnerUnavailableError(partnerId, 'the partner refused our credentials (SOAP fault)', { cause }) };
  // The question was wrong: never retried, never counted against the partner, whatever the HTTP status.
  if (local === 'Client') return { kind: 'REFUSED', error: new BadUserInputError('the partner rejected the request (SOAP Client fault)', { partner: partnerId, cause }) };
  return { kind: 'TRANSIENT', error: new PartnerUnavailableError(partnerId, 'the partner failed (SOAP Server fault)', { cause }) };
}

export function createSoapClient(http: PartnerHttp, partnerId: string, credentials: SoapCredentials): SoapClient {
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });
  const parser = new XMLParser({
    removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false, trimValues: true,
    isArray: (name) => LIST_ELEMENTS.has(name),
  });

  /** The parsed `soap:Body`, or null when the text is not a SOAP envelope. */
  function readBody(text: unknown): Record<string, unknown> | null {
    if (typeof text !== 'string' || XMLValidator.validate(text) !== true) return null;
    try {
      const body = parser.parse(text)?.Envelope?.Body;
      return body && typeof body === 'object' ? body : null;
    } catch {
      return null; // e.g. entity expansion over the parser's limits
    }
  }

  function envelope(operation: string, params: Record<string, string>): string {
    return builder.build({
      '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
      'soap:Envelope': {
        '@_xmlns:soap': SOAP_NS,
        '@_xmlns:tb': BILLING_NS,
        'soap:Header': {
          'wsse:Security': {
            '@_xmlns:wsse': WSSE_NS,
            '@_soap:mustUnderstand': '1',
            'wsse:UsernameToken': {
              'wsse:Username': credentials.username,
              'wsse:Password': { '@_Type': PASSWORD_TEXT, '#text': credentials.password },
            },
          },
        },
        'soap:Body': { [`tb:${operation}`]: Object.fromEntries(Object.entries(params).map(([k, v]) => [`tb:${k}`, v])) },
      },
    });
  }

  /**
   * The response classifier: a SOAP Fault is a failure whatever the HTTP status it came with (500
   * as SOAP 1.1 says, 200 or 401 from some stacks), and its code says which kind, so the core
   * neither retries bad input nor counts it against the partner, and does retry a Server fault.
   */
  // A successful answer's envelope, parsed once by the classifier and taken by call().
  const parsed = new Map<string, Record<string, unknown> | null>();
  const soap = http.with({
    classify: ({ statusCode, body }) => {
      const envelope = readBody(body);
      const fault = envelope?.Fault as { faultcode?: unknown } | undefined;
      if (fault) return classifyFault(partnerId, fault.faultcode);
      if (statusCode >= 200 && statusCode < 300 && typeof body === 'string') parsed.set(body, envelope);
      return undefined;
    },
  });
  function taken(text: string): Record<string, unknown> | null {
    const envelope = parsed.has(text) ? parsed.get(text)! : readBody(text);
    parsed.delete(text);
    return envelope;
  }

  return {
    async call(operation, params = {}) {
      const response = await soap.request<string>(operation, {
        method: 'POST',
        idempotent: true, // a read: safe to retry
        path: SERVICE_PATH,
        body: envelope(operation, params),
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${BILLING_NS}${operation}"` },
        responseType: 'text',
      });
      const body = taken(response.body);
      if (!body) throw new PartnerBadResponseError(partnerId, 'the partner answered with a body that is not a SOAP envelope');
      return body[`${operation}Response`];
    },
  };
}
