import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './types.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict argument parsing: unknown flags are usage errors, not silently ignored. */
export function parseCommandArgs<T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Parses a numeric flag, rejecting anything that is not a finite number. */
export function numberOption(value: string | undefined, name: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new UsageError(`--${name} must be a number, got "${value}"`);
  return parsed;
}
