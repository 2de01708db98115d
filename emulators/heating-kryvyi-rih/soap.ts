import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/** SOAP 1.1 plumbing of the legacy billing service: envelopes, faults and the number/date formats. */

export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const BILLING_NS = 'http://teplo.kr.ua/billing/2011/';
export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });
const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false, trimValues: true });

export interface SoapRequest {
  username: string | null;
  password: string | null;
  /** The first element of the Body: the operation, and its parameters as strings. */
  operation: string | null;
  params: Record<string, unknown>;
}

/** Reads a request envelope; null when it is not well-formed XML or not a SOAP envelope. */
export function readRequest(xml: string): SoapRequest | null {
  if (!xml || XMLValidator.validate(xml) !== true) return null;
  const envelope = parser.parse(xml)?.Envelope;
  if (!envelope || typeof envelope !== 'object' || typeof envelope.Body !== 'object') return null;
  const token = envelope.Header?.Security?.UsernameToken;
  const [operation] = Object.keys(envelope.Body);
  const params = envelope.Body[operation];
  return {
    username: typeof token?.Username === 'string' ? token.Username : null,
    password: typeof token?.Password === 'string' ? token.Password : null,
    operation: operation ?? null,
    params: params && typeof params === 'object' ? params : {},
  };
}

function envelope(body: unknown): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
    'soap:Envelope': {
      '@_xmlns:soap': SOAP_NS,
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      '@_xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
      'soap:Body': body,
    },
  });
}

/** `<{operation}Response xmlns=…><{operation}Result>…` in the .NET web-service style. */
export function responseEnvelope(operation: string, result: unknown): string {
  return envelope({ [`${operation}Response`]: { '@_xmlns': BILLING_NS, [`${operation}Result`]: result } });
}

export function faultEnvelope(faultcode: string, faultstring: string): string {
  const ns = faultcode.startsWith('wsse:') ? { '@_xmlns:wsse': WSSE_NS } : {};
  return envelope({ 'soap:Fault': { ...ns, faultcode, faultstring } });
}

/** 1234,56 from kopiyky; the legacy system writes a decimal comma and no thousands separator. */
export function commaMoney(kop: number): string {
  const abs = Math.abs(kop);
  return `${kop < 0 ? '-' : ''}${Math.trunc(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** A quantity held in thousandths, written with `places` decimals after a comma. */
export function commaQuantity(milli: number, places: 2 | 3): string {
  const scaled = places === 3 ? milli : Math.round(milli / 10);
  const unit = 10 ** places;
  return `${Math.trunc(scaled / unit)},${String(scaled % unit).padStart(places, '0')}`;
}

/** dd.mm.yyyy from an ISO date (YYYY-MM-DD) or a billing month (YYYY-MM, its first day). */
export function legacyDate(iso: string): string {
  const [y, m, d = '01'] = iso.split('-');
  return `${d}.${m}.${y}`;
}
