import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

/**
 * Every setting of the service, read from the environment once at start and validated.
 * An invalid value stops the service with a message that names the variable and what it accepts.
 */
export interface Config {
  port: number;
  host: string;
  /** Real MongoDB (replica set, Atlas, sharded). When absent the embedded server is used. */
  mongodbUri: string | undefined;
  /** Where the embedded database file, its lock/registry file and exports live. */
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * Checking responses against openapi.yaml: `log` (default) logs a mismatch and sends the
   * response, `strict` answers 500 instead (tests), `off` skips the check (its cost: the body is
   * parsed again and validated, noticeable on large responses).
   */
  responseValidation: 'off' | 'log' | 'strict';
  /** Maximum JSON body size, in bytes. */
  bodyLimitBytes: number;
  /** Requests per minute allowed per token (or per IP without a token). */
  rateLimitPerMinute: number;
  /** Origins allowed by CORS; empty means CORS is closed. */
  corsOrigins: string[];
  /** How long graceful shutdown waits for in-flight requests before closing anyway. */
  shutdownTimeoutMs: number;
  /** Seed the national network when the database is empty at start. */
  seedOnStart: boolean;
  /** Road distance = haversine × this factor (an assumption; see README). */
  circuityFactor: number;
  /** Average road speed used to turn distances into durations (assumption). */
  averageSpeedKmh: number;
  /** Optional OSRM table service replacing the haversine estimate. */
  osrmUrl: string | undefined;
  /** Evidence uploads: maximum size of one file, in bytes. */
  evidenceMaxBytes: number;
  /** Lots must keep at least this many days of shelf life after delivery. */
  minShelfLifeDays: number;
  /** How long an Idempotency-Key and its answer are remembered (a retry after that is new). */
  idempotencyRetentionDays: number;
  /** Replenishment computations at once (worker threads); further runs wait their turn. */
  replenishmentConcurrency: number;
  /** Plan generation (docs/rounds.md). */
  planning: {
    /** Wall-clock target of the routing stage of one plan (split over warehouses by size). */
    timeBudgetMs: number;
    /** Floor of one warehouse's solver time limit. */
    minJobMs: number;
    /** Optional iteration cap per warehouse search (tests; 0 = none). */
    maxIterations: number;
    /** Warehouse jobs solved at once (default: the machine's cores). */
    concurrency: number;
    /** A running plan writes a heartbeat this often; without one for staleAfterMs it is failed. */
    heartbeatMs: number;
    staleAfterMs: number;
    /** Multi-day trips (remote units): driving minutes per day, longest trip, overnight rest. Assumptions. */
    maxDrivingMinPerDay: number;
    maxTripDays: number;
    overnightRestMin: number;
    /** Weekdays without deliveries (0 = Sunday … 6 = Saturday). */
    restWeekdays: number[];
    /** Default calendar: the ordinary round's delivery week counted from the month's end (2 = penultimate) and its days. */
    ordinaryWeekFromEnd: number;
    ordinaryDeliveryDays: number;
    /** Usable volume of one cold box, m³ (assumption). */
    coldBoxCapacityM3: number;
    /** Passive cold boxes (coolers with ice packs) a vehicle without refrigeration carries (assumption; 0 = only refrigerated vehicles carry cold-chain items). */
    passiveColdBoxes: number;
  };
  scheduler: {
    enabled: boolean;
    /** Cron expression, America/Mexico_City, that creates the next ordinary round. */
    cron: string;
    timezone: string;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
    return fallback;
  }
  return value;
}

function decimal(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    problems.push(`${name} must be a number between ${min} and ${max}, got "${raw}"`);
    return fallback;
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  problems.push(`${name} must be true or false, got "${raw}"`);
  return fallback;
}

function url(env: Env, name: string, schemes: string[], problems: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  try {
    const parsed = new URL(raw);
    if (!schemes.includes(parsed.protocol)) throw new Error('scheme');
    return raw;
  } catch {
    problems.push(`${name} must be a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}`);
    return undefined;
  }
}

function weekdays(env: Env, name: string, fallback: number[], problems: string[]): number[] {
  const raw = env[name];
  if (raw === undefined) return fallback;
  if (raw.trim() === '') return [];
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.some((v) => !Number.isInteger(v) || v < 0 || v > 6)) {
    problems.push(`${name} must be a comma-separated list of weekdays 0 (Sunday) to 6 (Saturday), got "${raw}"`);
    return fallback;
  }
  return values;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const RESPONSE_VALIDATION = ['off', 'log', 'strict'] as const;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const responseValidation = (env.RESPONSE_VALIDATION ?? 'log') as Config['responseValidation'];
  if (!RESPONSE_VALIDATION.includes(responseValidation)) problems.push(`RESPONSE_VALIDATION must be one of ${RESPONSE_VALIDATION.join(', ')}, got "${responseValidation}"`);
  const cron = env.SCHEDULER_CRON ?? '0 6 1 * *';
  if (cron.trim().split(/\s+/).length < 5) problems.push(`SCHEDULER_CRON must be a cron expression of 5 or 6 fields, got "${cron}"`);
  const config: Config = {
    port: integer(env, 'PORT', 3000, 0, 65535, problems),
    host: env.HOST && env.HOST !== '' ? env.HOST : '127.0.0.1',
    mongodbUri: url(env, 'MONGODB_URI', ['mongodb:', 'mongodb+srv:'], problems),
    dataDir: resolve(env.RUTAS_DATA_DIR && env.RUTAS_DATA_DIR !== '' ? env.RUTAS_DATA_DIR : '.data'),
    logLevel,
    responseValidation,
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 2 * 1024 * 1024, 1024, 64 * 1024 * 1024, problems),
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 6000, 1, 10_000_000, problems),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000, problems),
    seedOnStart: boolean(env, 'SEED_ON_START', true, problems),
    circuityFactor: decimal(env, 'CIRCUITY_FACTOR', 1.3, 1, 3, problems),
    averageSpeedKmh: decimal(env, 'AVERAGE_SPEED_KMH', 50, 5, 130, problems),
    osrmUrl: url(env, 'OSRM_URL', ['http:', 'https:'], problems),
    evidenceMaxBytes: integer(env, 'EVIDENCE_MAX_BYTES', 15 * 1024 * 1024, 1024, 1024 * 1024 * 1024, problems),
    minShelfLifeDays: integer(env, 'MIN_SHELF_LIFE_DAYS', 60, 0, 3650, problems),
    idempotencyRetentionDays: integer(env, 'IDEMPOTENCY_RETENTION_DAYS', 30, 1, 3650, problems),
    replenishmentConcurrency: integer(env, 'REPLENISHMENT_CONCURRENCY', 1, 1, 4, problems),
    planning: {
      timeBudgetMs: integer(env, 'PLAN_TIME_BUDGET_MS', 55_000, 100, 3_600_000, problems),
      minJobMs: integer(env, 'PLAN_MIN_JOB_MS', 1000, 10, 600_000, problems),
      maxIterations: integer(env, 'PLAN_MAX_ITERATIONS', 0, 0, 100_000_000, problems),
      concurrency: integer(env, 'PLAN_CONCURRENCY', Math.max(1, availableParallelism()), 1, 256, problems),
      heartbeatMs: integer(env, 'PLAN_HEARTBEAT_MS', 5000, 50, 600_000, problems),
      staleAfterMs: integer(env, 'PLAN_STALE_AFTER_MS', 60_000, 200, 86_400_000, problems),
      maxDrivingMinPerDay: integer(env, 'MAX_DRIVING_MIN_PER_DAY', 600, 60, 1440, problems),
      maxTripDays: integer(env, 'MAX_TRIP_DAYS', 3, 1, 14, problems),
      overnightRestMin: integer(env, 'OVERNIGHT_REST_MIN', 660, 0, 1440, problems),
      restWeekdays: weekdays(env, 'ROUND_REST_WEEKDAYS', [0], problems),
      ordinaryWeekFromEnd: integer(env, 'ORDINARY_ROUND_WEEK_FROM_END', 2, 1, 4, problems),
      ordinaryDeliveryDays: integer(env, 'ORDINARY_ROUND_DELIVERY_DAYS', 5, 1, 14, problems),
      coldBoxCapacityM3: decimal(env, 'COLD_BOX_CAPACITY_M3', 0.02, 0.001, 1, problems),
      passiveColdBoxes: integer(env, 'PASSIVE_COLD_BOXES', 20, 0, 1000, problems),
    },
    scheduler: {
      enabled: boolean(env, 'SCHEDULER_ENABLED', true, problems),
      cron,
      timezone: env.SCHEDULER_TIMEZONE ?? 'America/Mexico_City',
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
