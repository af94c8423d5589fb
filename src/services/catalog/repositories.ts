import type { Connection } from 'mongoose';
import { createRepositories, type Repositories } from '../../repositories/index.ts';

/** The repositories the national-network services use (a subset of the composition root's). */
export type NetworkRepositories = Pick<Repositories, 'units' | 'items' | 'kitTemplates' | 'warehouses' | 'vehicles'>;

/** Builds them on a connection with the unique indexes in place (CLI commands and tests). */
export async function networkRepositories(connection: Connection): Promise<NetworkRepositories> {
  const repositories = createRepositories(connection);
  await repositories.ensureIndexes();
  return repositories;
}
