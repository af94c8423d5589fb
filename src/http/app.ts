import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Config } from '../config.ts';
import type { Logger } from '../logging.ts';
import { errorHandler, sendStatusProblem } from './problem.ts';
import { rejectUnsafeKeys, requireContentType } from './hardening.ts';
import type { OpenApiValidator } from './openapi.ts';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OPENAPI_PATH = join(projectRoot, 'openapi.yaml');

export interface AppDeps {
  config: Pick<Config, 'bodyLimitBytes' | 'corsOrigins'>;
  logger: Logger;
  openapi: OpenApiValidator;
  /** True when the database answers. Drives /readyz. */
  ready: () => Promise<boolean>;
  /** The /api/v1 router (auth, rate limit and resources), built by the composition root. */
  api?: Router;
  /** 'strict' in tests: a response that breaks openapi.yaml becomes a 500. */
  responseValidation?: 'off' | 'log' | 'strict';
  /** Paths (below /api/v1) that accept multipart bodies. */
  multipartPaths?: (path: string) => boolean;
  /** Directory of the built web console, served at `/`. */
  webDir?: string;
  /** Set while shutting down: new requests get 503 and `Connection: close`. */
  isShuttingDown?: () => boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function cors(origins: string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin && origins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Idempotency-Key, X-Request-Id');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, PUT, DELETE');
      res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id, Location');
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
    }
    next();
  };
}

function docsPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Rutas de la Salud API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use((req, res, next) => {
    if (deps.isShuttingDown?.()) {
      res.setHeader('Connection', 'close');
      sendStatusProblem(req, res, 503, 'The service is shutting down; retry shortly.');
      return;
    }
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
          connectSrc: ["'self'", 'https:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          scriptSrc: ["'self'"],
          workerSrc: ["'self'", 'blob:'],
        },
      },
    }),
  );
  app.use(cors(deps.config.corsOrigins));
  app.use(deps.openapi.methodGuard());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (req, res) => {
    if (await deps.ready()) {
      res.json({ status: 'ready', database: 'up' });
      return;
    }
    sendStatusProblem(req, res, 503, 'The database does not answer.');
  });

  app.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml').send(readFileSync(OPENAPI_PATH, 'utf8'));
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(docsPage());
  });
  app.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send("window.ui = SwaggerUIBundle({ url: '/openapi.yaml', dom_id: '#swagger-ui' });\n");
  });
  app.use('/docs/assets', express.static(join(projectRoot, 'node_modules', 'swagger-ui-dist'), { index: false }));

  const multipart = deps.multipartPaths ?? (() => false);
  app.use(
    '/api',
    requireContentType((path) => multipart(path.replace(/^\/v1/, ''))),
    express.json({ limit: deps.config.bodyLimitBytes, strict: false, type: ['application/json', 'application/*+json'] }),
    rejectUnsafeKeys,
    deps.openapi.responseValidator(deps.responseValidation ?? 'log', deps.logger),
    deps.openapi.requestValidator(),
  );
  if (deps.api) app.use('/api/v1', deps.api);

  if (deps.webDir && existsSync(deps.webDir)) {
    app.use(express.static(deps.webDir, { index: 'index.html', maxAge: '1h' }));
  }

  app.use((req, res) => {
    sendStatusProblem(req, res, 404, `No resource at ${req.method} ${req.path}.`);
  });
  app.use(errorHandler(deps.logger));
  return app;
}
