/** What a caller learns from a refused promise: the class, the catalogue code, the message, the cause. */
export async function refusal(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { code?: string; retryable?: boolean };
    return { error: e.constructor.name, code: e.code, message: e.message, retryable: e.retryable, hasCause: e.cause !== undefined };
  }
  throw new Error('expected the promise to be refused');
}

export function unauthenticated(message: string): Record<string, unknown> {
  return { error: 'UnauthenticatedError', code: 'UNAUTHENTICATED', message, retryable: false, hasCause: false };
}

export function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
