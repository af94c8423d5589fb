import { resolve } from 'node:path';
import { exportDatabase } from '../../services/backup.ts';
import { parseCommandArgs } from '../args.ts';
import { withDatabase } from '../database.ts';
import { UsageError, type CliCommand } from '../types.ts';

export const command: CliCommand = {
  summary: 'back up every collection (incl. evidence files) to a directory',
  usage: [
    'Usage: rutas export <dir> [--json]',
    '',
    'Writes one Extended JSON file per collection (sorted by _id) and manifest.json with counts,',
    'SHA-256 checksums and index definitions. <dir> must not already hold a dump.',
    'Restore with `rutas import-dump <dir>`.',
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('give exactly one directory');
    const dir = resolve(positionals[0]);
    const manifest = await withDatabase((connection) => exportDatabase(connection.db!, dir));
    if (values.json) {
      io.out(JSON.stringify({ dir, collections: manifest.collections.map(({ name, count, sha256 }) => ({ name, count, sha256 })) }));
    } else {
      for (const entry of manifest.collections) io.out(`${entry.name.padEnd(32)} ${String(entry.count).padStart(9)}  ${entry.sha256.slice(0, 16)}`);
      io.out(`exported ${manifest.collections.length} collections to ${dir}`);
    }
    return 0;
  },
};
