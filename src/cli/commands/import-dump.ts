import { resolve } from 'node:path';
import { importDump } from '../../services/backup.ts';
import { parseCommandArgs } from '../args.ts';
import { withDatabase } from '../database.ts';
import { UsageError, type CliCommand } from '../types.ts';

export const command: CliCommand = {
  summary: 'restore a directory written by `rutas export` (verified first)',
  usage: [
    'Usage: rutas import-dump <dir> [--replace] [--json]',
    '',
    'Verifies every file against manifest.json (counts and SHA-256) before writing anything, then',
    'restores collections and their indexes. Refuses to write into collections that hold data',
    'unless --replace is given (those collections are dropped first).',
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { replace: { type: 'boolean' }, json: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('give exactly one directory');
    const dir = resolve(positionals[0]);
    const report = await withDatabase((connection) => importDump(connection.db!, dir, { replace: values.replace === true }));
    if (values.json) io.out(JSON.stringify(report));
    else io.out(`restored ${report.total} documents in ${report.collections.length} collections from ${dir}`);
    return 0;
  },
};
