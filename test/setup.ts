/**
 * Mocha root hooks. The embedded database is started lazily by test/support/db.ts the first
 * time an integration test asks for it, and stopped here once all tests are done.
 */
import { stopSharedTestServer } from './support/db.ts';

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopSharedTestServer();
  },
};
