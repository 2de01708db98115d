/**
 * Every request the pages make to the public GraphQL API goes through `request`: one place for the
 * token, the purpose header, the wire format and the answer's shape.
 *
 * The operations are the registered ones (docs/operations/), typed by GraphQL Code Generator's
 * client preset (web/generated/, `npm run codegen`), and sent by their persisted id alone (the
 * generated `__meta__.hash`: SHA-256 of the document as printed, the id in the gateway's manifest).
 */

/** A generated document: its text, and its result and variables types. */
export interface Operation<Result, Variables> {
  toString(): string;
  __apiType?: (variables: Variables) => Result;
  __meta__?: Record<string, unknown>;
}

export interface AnswerError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; partner?: string; retryable?: boolean; [key: string]: unknown };
}

/** A warning in the answer's extensions (STALE_DATA: a partner's older copy was served). */
export interface AnswerWarning {
  code: string;
  partner?: string;
  field?: string;
  fetchedAt?: string;
  message?: string;
}

export interface Answer<Result> {
  data: Result | null;
  errors: AnswerError[];
  warnings: AnswerWarning[];
}

export interface RequestOptions {
  /** The session's access token. */
  token: string;
  /** Why the data is read (the queue ticket): the X-Purpose header, percent-encoded. */
  purpose?: string;
}

/** The request failed as a whole: no GraphQL answer (network, HTTP error without a body). */
export class ApiUnavailableError extends Error {
  constructor(readonly status: number) {
    super(status === 0 ? 'Сервер не відповідає. Перевірте мережу і спробуйте ще раз.' : `Сервер відповів помилкою (HTTP ${status}). Спробуйте ще раз.`);
  }
}

const OPERATION_NAME = /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

/** The request body: the operation's persisted id (Apollo's APQ shape), never its text. */
function bodyOf(operation: Operation<unknown, unknown>, variables: unknown): string {
  const operationName = OPERATION_NAME.exec(operation.toString())?.[1];
  const hash = operation.__meta__?.hash;
  if (typeof hash !== 'string') throw new TypeError(`${operationName ?? 'an operation'} has no persisted id: regenerate web/generated/ (npm run codegen)`);
  return JSON.stringify({ operationName, variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
}

export async function request<Result, Variables>(
  operation: Operation<Result, Variables>,
  variables: Variables,
  { token, purpose }: RequestOptions,
): Promise<Answer<Result>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${token}` };
  if (purpose) headers['x-purpose'] = encodeURIComponent(purpose);
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST', headers,
      body: bodyOf(operation as Operation<unknown, unknown>, variables),
    });
  } catch {
    throw new ApiUnavailableError(0);
  }
  const body = (await response.json().catch(() => undefined)) as
    | { data?: Result | null; errors?: AnswerError[]; extensions?: { warnings?: AnswerWarning[] } }
    | undefined;
  if (!body || (body.data === undefined && !body.errors)) throw new ApiUnavailableError(response.status);
  return { data: body.data ?? null, errors: body.errors ?? [], warnings: body.extensions?.warnings ?? [] };
}

/** The errors at or under a path of the answer (e.g. ['citizen', 'gasAccounts']). */
export function errorsAt(errors: readonly AnswerError[], path: ReadonlyArray<string | number>): AnswerError[] {
  return errors.filter((e) => e.path && path.every((step, i) => e.path![i] === step));
}
