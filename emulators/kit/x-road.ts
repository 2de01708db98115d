import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Clock } from '../../platform/clock.js';
import { characterProblem, decodeHeaderText, TextError } from '../../domain/text.js';

/**
 * The provider's security server, as far as a REST client sees it (X-Road / Trembita,
 * Ukraine's state data exchange, where every call names its client subsystem and is logged): it refuses a message without a well-formed X-Road-Client, or without the official
 * (X-Road-UserId) and the purpose (X-Road-Issue) the registry must record, stamps every answer with
 * X-Road-Id and X-Road-Request-Hash, and keeps a message log (who asked, as which official, why,
 * each exactly as decoded from the percent-encoded headers).
 * Both state registries (cadastre-dzk, vehicles-mvs) sit behind one of these.
 */

const CLIENT_ID = /^[A-Z]{2}\/[A-Z]+\/\d{8}\/[A-Z0-9-]+$/;
const MESSAGE_LOG_LIMIT = 1000;

export interface XRoadMessage {
  id: string;
  at: string;
  client: string;
  service: string;
  userId: string;
  issue: string;
}

export interface SecurityServer {
  /** Route middleware for one service code; put it right after `count(op)`. */
  gate(serviceCode: string): RequestHandler;
  /** The newest messages last; the tamper-evident log of a real security server, in memory here. */
  messages: XRoadMessage[];
}

export function xRoadError(res: Response, status: number, type: string, message: string): void {
  res.status(status).json({ type, message, detail: res.get('X-Road-Id') ?? null });
}

/** A header's value, null when absent or blank. */
function header(req: Request, name: string): string | null {
  const value = req.get(name);
  return value === undefined || value.trim() === '' ? null : value;
}

/**
 * X-Road-UserId or X-Road-Issue as the registry records it: percent-encoded UTF-8 decoded exactly
 * once and kept as sent, or why it is refused (raw non-ASCII, a malformed encoding, a control,
 * format or bidirectional character). The rules are the domain's, the ones the gateway applies.
 */
function callerText(req: Request, name: string): { text: string } | { refused: string } {
  const raw = header(req, name);
  if (raw === null) return { refused: `${name} is required` };
  let text: string;
  try {
    text = decodeHeaderText(raw, name);
  } catch (error) {
    if (error instanceof TextError) return { refused: error.message };
    throw error;
  }
  const problem = characterProblem(text);
  if (problem) return { refused: new TextError(name, problem).message };
  return text.trim() === '' ? { refused: `${name} is required` } : { text };
}

/** `service` is this provider's subsystem, e.g. `UA/GOV/39765513/DZK`. */
export function createSecurityServer(service: string, clock: Clock): SecurityServer {
  let counter = 0;
  const messages: XRoadMessage[] = [];

  const gate = (serviceCode: string): RequestHandler => (req, res, next) => {
    counter += 1;
    const id = `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
    res.set('X-Road-Id', id);
    res.set('X-Road-Request-Hash', createHash('sha512').update(`${req.method} ${req.originalUrl}`).digest('base64'));
    res.set('X-Road-Service', `${service}/${serviceCode}`);

    const client = header(req, 'X-Road-Client');
    if (!client) return xRoadError(res, 400, 'Client.BadRequest', 'X-Road-Client header is missing');
    if (!CLIENT_ID.test(client)) {
      return xRoadError(res, 400, 'Client.BadRequest', 'X-Road-Client must be INSTANCE/CLASS/MEMBER/SUBSYSTEM');
    }
    const asked = [req.params.instance, req.params.memberClass, req.params.memberCode, req.params.subsystem].join('/');
    if (asked !== service) return xRoadError(res, 404, 'Server.ServerProxy.UnknownService', 'no such service on this security server');
    res.set('X-Road-Client', client);
    // A registry answers only a message that names the official asking and the case it is for.
    const userId = callerText(req, 'X-Road-UserId');
    if ('refused' in userId) return xRoadError(res, 400, 'Client.BadRequest', userId.refused);
    const issue = callerText(req, 'X-Road-Issue');
    if ('refused' in issue) return xRoadError(res, 400, 'Client.BadRequest', issue.refused);

    messages.push({ id, at: clock.now().toISOString(), client, service: `${service}/${serviceCode}`, userId: userId.text, issue: issue.text });
    if (messages.length > MESSAGE_LOG_LIMIT) messages.splice(0, messages.length - MESSAGE_LOG_LIMIT);
    next();
  };

  return { gate, messages };
}

/** `/r1/:instance/:memberClass/:memberCode/:subsystem/<serviceCode>/v1`, for express routes. */
export function servicePath(serviceCode: string): string {
  return `/r1/:instance/:memberClass/:memberCode/:subsystem/${serviceCode}/v1`;
}

export interface ExtractDocument {
  mediaType: string;
  fileName: string;
  base64: string;
  sha256: string;
}

/** The extract as a UTF-8 text document with the hash the adapter checks. */
export function textDocument(content: string, fileName: string): ExtractDocument {
  const bytes = Buffer.from(content, 'utf8');
  return {
    mediaType: 'text/plain; charset=utf-8',
    fileName,
    base64: bytes.toString('base64'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** Twelve digits derived from a subject and a day: the same parcel on the same day, the same number. */
export function extractDigits(subject: string, day: string): string {
  const n = createHash('sha256').update(`${subject}|${day}`).digest().readBigUInt64BE(0) % 1_000_000_000_000n;
  return n.toString().padStart(12, '0');
}

/** "2026-11-01" → "01.11.2026", as printed on documents. */
export function printedDate(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-');
  return `${d}.${m}.${y}`;
}
