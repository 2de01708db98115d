import { ApolloServer } from '@apollo/server';
import { createFormatError, errorRequestIds } from '../../domain/graphql-errors.js';
import { captureLog } from '../helpers/stack.js';

/**
 * formatError gets no context from Apollo: where no request scope is carried (the gateway), the
 * request an unexpected error belongs to is noted as the error is met and looked up when it is logged.
 */
describe('errorRequestIds', () => {
  it("puts each request's own id on the line of its unexpected error, and masks the error for the client", async () => {
    const log = captureLog();
    const ids = errorRequestIds();
    const server = new ApolloServer<{ requestId: string }>({
      typeDefs: 'type Query { broken: String, fine: String }',
      resolvers: { Query: { broken: () => { throw new Error('a bug'); }, fine: () => 'ok' } },
      formatError: createFormatError(log.logger, ids.requestIdOf),
      plugins: [ids.plugin],
    });
    await server.start();
    try {
      const ask = async (requestId: string) => {
        const response = await server.executeOperation({ query: '{ broken fine }' }, { contextValue: { requestId } });
        return response.body.kind === 'single' ? response.body.singleResult : null;
      };
      const answers = [await ask('desk-1-request'), await ask('desk-2-request')];
      expect(answers).toEqual([1, 2].map(() => ({
        data: { broken: null, fine: 'ok' },
        errors: [{ message: 'Internal server error', locations: [{ line: 1, column: 3 }], path: ['broken'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      })));
      const lines = log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'unexpected error');
      expect(lines.map((l) => [l.requestId, (l.err as { message: string }).message, l.path])).toEqual([
        ['desk-1-request', 'a bug', ['broken']],
        ['desk-2-request', 'a bug', ['broken']],
      ]);
    } finally {
      await server.stop();
    }
  });
});
