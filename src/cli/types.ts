/** A `rutas` sub-command. Each lives in its own file under src/cli/commands/. */
export interface CliCommand {
  /** One line shown by `rutas --help`. */
  summary: string;
  /** Full usage text shown by `rutas <command> --help`. */
  usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Output channels, injectable so tests can capture what a command prints. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** A usage error: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
