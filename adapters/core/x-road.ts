import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { CallContext } from './contract.js';
import { parsePayload } from './batch.js';
import { BadUserInputError, PartnerBadResponseError } from '../../domain/errors.js';
import type { Provenance, RegistryExtract } from '../../domain/model.js';

/**
 * The X-Road / Trembita REST dialect shared by the state registries (Ukraine's state data
 * exchange, built on X-Road; default deny between members): who is calling (client subsystem),
 * which official and why, on the path `/r1/<service>/<serviceCode>/v1`. Every registry adapter
 * builds its headers and paths here, so the dialect lives in one place. Mutual TLS between security
 * servers is out of scope.
 */

/** `INSTANCE/CLASS/MEMBER/SUBSYSTEM`, e.g. `UA/GOV/00003211/VIKNO`. */
export const X_ROAD_CLIENT_PATTERN = /^[A-Z]{2}\/[A-Z]+\/\d{8}\/[A-Z0-9-]+$/;
/** The registry's service subsystem; it goes into the URL path, so only path-safe segments. */
const X_ROAD_SERVICE_PATTERN = /^[A-Za-z0-9-]+(\/[A-Za-z0-9-]+){3}$/;

export const xRoadOptionsSchema = z.strictObject({
  xRoadClient: z.string().regex(X_ROAD_CLIENT_PATTERN, 'must be INSTANCE/CLASS/MEMBER/SUBSYSTEM, e.g. UA/GOV/00003211/VIKNO'),
  xRoadService: z.string().regex(X_ROAD_SERVICE_PATTERN, 'must be INSTANCE/CLASS/MEMBER/SUBSYSTEM, e.g. UA/GOV/39765513/DZK'),
});
export type XRoadOptions = z.infer<typeof xRoadOptionsSchema>;

/**
 * A state registry records which official asked and why (X-Road-UserId, X-Road-Issue), so a call
 * that names neither is refused before anything is sent: there is no system user to fall back on.
 */
export const X_ROAD_CALLER_REQUIRED = 'the registry requires the official and the purpose of the look-up';

/** BAD_USER_INPUT when the call names no official or no purpose; null when it names both. */
export function missingCaller(partnerId: string, call: CallContext): BadUserInputError | null {
  const named = (value: string | undefined) => typeof value === 'string' && value.trim() !== '';
  return named(call.officialId) && named(call.purpose) ? null : new BadUserInputError(X_ROAD_CALLER_REQUIRED, { partner: partnerId });
}

/**
 * The headers of one X-Road message. X-Road-Id is the provider's to assign, so it is not sent.
 * The official and the purpose are always percent-encoded as UTF-8, never sent as they are: the
 * registry decodes exactly once, so it records exactly the text the gateway validated and stored
 * in the trail (a purpose that reads `%0d%0a` arrives as `%0d%0a`, not as CR/LF), and nothing is
 * trimmed or changed here. Callers check `missingCaller` first; this throws the same error should
 * one forget.
 */
export function xRoadHeaders(partnerId: string, options: XRoadOptions, call: CallContext): Record<string, string> {
  const missing = missingCaller(partnerId, call);
  if (missing) throw missing;
  return {
    'X-Road-Client': options.xRoadClient,
    'X-Road-UserId': encodeURIComponent(call.officialId!),
    'X-Road-Issue': encodeURIComponent(call.purpose!),
  };
}

/** `/r1/UA/GOV/39765513/DZK/parcelsByOwner/v1`. */
export function xRoadPath(options: XRoadOptions, serviceCode: string, version = 'v1'): string {
  return `/r1/${options.xRoadService}/${serviceCode}/${version}`;
}

/** The message id the provider assigned (for correlating with its message log); not personal data. */
export function xRoadId(headers: Record<string, string | string[] | undefined>): string | undefined {
  const id = headers['x-road-id'];
  return Array.isArray(id) ? id[0] : id;
}

/** The extract envelope both registries answer with: a text and the signed document it came from. */
export const registryExtractPayloadSchema = z.object({
  extractNumber: z.string().min(1),
  issuedAt: z.iso.datetime({ offset: true }),
  registrar: z.string().min(1),
  content: z.string().min(1),
  document: z.object({
    mediaType: z.string().min(1),
    fileName: z.string().min(1),
    base64: z.base64(),
    sha256: z.string().regex(/^[0-9a-fA-F]{64}$/),
  }),
});

export interface ExtractMeta {
  /** The registry's name, e.g. "Державний земельний кадастр". */
  registry: string;
  /** What the extract is about: a cadastral number or a VIN. */
  subject: string;
  source: Provenance;
}

/**
 * Validates an extract answer and checks that the document is the one the registry vouched for:
 * a SHA-256 mismatch means it was damaged or swapped on the way, so it is PARTNER_BAD_RESPONSE.
 */
export function toRegistryExtract(partnerId: string, payload: unknown, meta: ExtractMeta): RegistryExtract {
  const answer = parsePayload(partnerId, registryExtractPayloadSchema, payload, 'extract');
  const bytes = Buffer.from(answer.document.base64, 'base64');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== answer.document.sha256.toLowerCase()) {
    throw new PartnerBadResponseError(partnerId, "the extract document does not match the partner's SHA-256");
  }
  return {
    number: answer.extractNumber,
    issuedAt: new Date(answer.issuedAt).toISOString(),
    registry: meta.registry,
    registrar: answer.registrar,
    subject: meta.subject,
    content: answer.content,
    document: {
      mediaType: answer.document.mediaType,
      fileName: answer.document.fileName,
      sizeBytes: bytes.length,
      sha256,
      base64: answer.document.base64,
    },
    source: meta.source,
  };
}
