import { pino, type Logger } from 'pino';

export type { Logger };

/** The service's structured logger. Request-scoped children carry the request id. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'rutas' },
      redact: { paths: ['req.headers.authorization', 'headers.authorization', 'token', 'secret'], remove: true },
    },
    destination ?? process.stdout,
  );
}
