import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connection } from 'mongoose';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { connectMongoose, pingDatabase } from './db/connection.ts';
import { openDatabase, type DatabaseTarget } from './db/database.ts';
import { EmbeddedServerError } from './db/embedded.ts';
import { createApi } from './http/api.ts';
import { createApp, OPENAPI_PATH, projectRoot } from './http/app.ts';
import { principalOf } from './http/auth.ts';
import { executionRouter, isExecutionMultipartPath } from './http/routes/execution.ts';
import { statsRouter } from './http/routes/stats.ts';
import { OpenApiValidator } from './http/openapi.ts';
import { createLogger, type Logger } from './logging.ts';
import { createRepositories, type Repositories } from './repositories/index.ts';
import { createExecutionServices } from './services/execution/index.ts';
import { createPlanningRepositories } from './repositories/plans-repositories.ts';
import { createPlanningModule, type PlanningModule } from './services/planning/module.ts';
import { createCoreServices, type CoreServices } from './services/index.ts';
import { replenishmentRouter } from './http/routes/replenishment.ts';
import { createReplenishmentRepository } from './repositories/replenishment.ts';
import { WorkerPlanner } from './services/replenishment/planner.ts';
import { createReplenishmentService } from './services/replenishment/runs.ts';
import { authorize } from './services/auth.ts';
import { municipalityPlacer, sizeClassOf } from './services/catalog/place.ts';
import { seedOnStart } from './services/catalog/seed-on-start.ts';
import { createStatsService } from './services/catalog/stats.ts';

/**
 * Composition root: reads config, finds or starts the database, wires repositories, services
 * and routers, starts HTTP and jobs, and shuts all of it down gracefully.
 */

export interface RunningService {
  url: string;
  server: Server;
  connection: Connection;
  database: DatabaseTarget;
  repositories: Repositories;
  services: CoreServices;
  /** Rounds, plans, coverage and the scheduler. */
  planning: PlanningModule;
  /** Graceful stop: refuse new requests, finish in-flight ones, close DB, stop embedded server. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Use this database instead of resolving one from config (tests pass their own). */
  database?: DatabaseTarget;
  responseValidation?: 'off' | 'log' | 'strict';
}

export async function startService(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningService> {
  const database =
    options.database ??
    (await openDatabase({
      mongodbUri: config.mongodbUri,
      dataDir: config.dataDir,
      onLog: (line) => logger.debug({ component: 'embedded-mongo' }, line),
    }));
  logger.info({ database: database.kind }, 'database selected');
  let connection: Connection;
  try {
    connection = await connectMongoose(database.uri);
  } catch (error) {
    await database.release();
    throw error;
  }

  const repositories = createRepositories(connection);
  try {
    await repositories.ensureIndexes();
  } catch (error) {
    await connection.close().catch(() => undefined);
    await database.release();
    throw error;
  }
  const services = createCoreServices(repositories, { placeUnit: municipalityPlacer(), classifyUnit: sizeClassOf });
  const execution = createExecutionServices({ connection, projectRoot, runOnce: services.runOnce, config });
  const housekeeping = async (): Promise<Record<string, number>> => {
    const now = Date.now();
    const idempotencyRecords = await repositories.idempotency.purge(new Date(now - config.idempotencyRetentionDays * 86_400_000), new Date(now - 86_400_000));
    return { idempotencyRecords };
  };
  const planning = createPlanningModule({ repositories: createPlanningRepositories(repositories.models), config, logger, deliveries: execution.deliveryFacts, housekeeping });
  const replenishment = createReplenishmentService({
    repository: createReplenishmentRepository(repositories.models),
    minShelfLifeDays: config.minShelfLifeDays,
    coldBoxCapacityM3: config.planning.coldBoxCapacityM3,
    // Runs are planned on worker threads, so the event loop keeps serving other requests.
    planner: new WorkerPlanner({ threads: config.replenishmentConcurrency }),
  });
  const api = createApi({
    services,
    logger,
    rateLimitPerMinute: config.rateLimitPerMinute,
    routers: [
      executionRouter({ ...execution, actorOf: principalOf, evidenceMaxBytes: config.evidenceMaxBytes }),
      ...planning.routers(principalOf),
      replenishmentRouter({ replenishment, actorOf: principalOf }),
      statsRouter({ stats: createStatsService(repositories, authorize) }),
    ],
  });
  // An empty database gets the national network in the background; /readyz waits for it.
  const startupSeed = seedOnStart(repositories, logger, config.seedOnStart);

  let shuttingDown = false;
  const openapi = new OpenApiValidator(OPENAPI_PATH);
  const app = createApp({
    config,
    logger,
    openapi,
    api,
    multipartPaths: isExecutionMultipartPath,
    ready: async () => !startupSeed.running() && (await pingDatabase(connection)),
    responseValidation: options.responseValidation ?? config.responseValidation,
    webDir: join(projectRoot, 'src', 'web', 'dist'),
    isShuttingDown: () => shuttingDown,
  });

  const server = createServer(app);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  if (config.scheduler.enabled) planning.scheduler.start();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      shuttingDown = true;
      execution.events.shutdown();
      logger.info('shutting down: draining in-flight requests');
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive sockets become idle as their last response ends; close them as they do.
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      const timer = setTimeout(() => {
        logger.warn('shutdown timeout reached: closing remaining connections');
        server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      await drained;
      // Scheduled jobs stop; generations still running are marked failed and cleaned up.
      await planning.stop().catch((error: unknown) => logger.error({ err: error }, 'stopping plan generation failed'));
      await replenishment.close().catch((error: unknown) => logger.error({ err: error }, 'stopping the replenishment workers failed'));
      clearInterval(sweep);
      clearTimeout(timer);
      // Audit entries of the last responses are written before the connection goes.
      await repositories.audit.flush().catch((error: unknown) => logger.error({ err: error }, 'writing the last audit entries failed'));
      await connection.close().catch((error: unknown) => logger.error({ err: error }, 'closing the database connection failed'));
      await database.release();
      logger.info('stopped');
    })();
    return closing;
  };

  return { url, server, connection, database, repositories, services, planning, close };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`rutas: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  let service: RunningService;
  try {
    service = await startService(config, logger);
  } catch (error) {
    if (error instanceof EmbeddedServerError) {
      logger.fatal(error.message);
      process.stderr.write(`rutas: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  logger.info({ url: service.url }, 'Rutas de la Salud is listening');
  process.stdout.write(`Rutas de la Salud listening on ${service.url} (API docs: ${service.url}/docs)\n`);

  const stop = (signal: string): void => {
    logger.info({ signal }, 'signal received');
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    void service.close().finally(() => process.exit(1));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main();
}
