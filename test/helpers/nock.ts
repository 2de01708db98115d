import nock from 'nock';

const LOOPBACK = /^(127\.0\.0\.1|localhost)(:\d+)?$/;

/**
 * The hooks every nock-based test file needs: no network but loopback (emulators run there),
 * no interceptor left over between tests, and nock unhooked when the file is done (otherwise its
 * interceptor outlives the file and Jest warns when the next file in the worker makes a request).
 */
export function useNock(): void {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(LOOPBACK);
  });
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
}
