/**
 * The service under load, in a process of its own as `npm start` runs it (the load generator
 * must not share its event loop). Started by bench/sets/load.ts:
 *   node --import tsx bench/sets/load-service.ts <mongodb-uri> <data-dir>
 * Prints one JSON line {"url", "token"} (an admin token) once seeded and ready; stops on SIGTERM.
 */
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logging.ts';
import { waitReady } from '../../src/http/poll-status.ts';
import { startService } from '../../src/main.ts';

const [uri, dir] = process.argv.slice(2);
if (!uri || !dir) {
  process.stderr.write('usage: load-service.ts <mongodb-uri> <data-dir>\n');
  process.exit(2);
}
// RESPONSE_VALIDATION passes through, to measure the cost of checking responses.
const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', SCHEDULER_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: '10000000', RUTAS_DATA_DIR: dir, RESPONSE_VALIDATION: process.env.RESPONSE_VALIDATION });
const service = await startService(config, createLogger('silent'), { database: { uri, kind: 'external', release: () => Promise.resolve() } });
await waitReady(service.url, 600_000);
const admin = await service.services.tokens.create({ role: 'admin', name: 'load admin' });
process.stdout.write(`${JSON.stringify({ url: service.url, token: admin.token })}\n`);
process.once('SIGTERM', () => {
  void service.close().then(() => process.exit(0));
});
