import type { Models } from '../../models/index.ts';
import type { ApiTokenDoc, Role } from '../../models/api-token.ts';
import { insertOrConflict } from './common.ts';

/** A stored token, without its secret hash (what listings show). */
export interface ApiTokenInfo {
  id: string;
  name: string;
  role: Role;
  unitClues?: string;
  state?: string;
  createdBy?: string;
  createdAt: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
}

export type StoredToken = ApiTokenInfo & { secretHash: string };

function toStored(doc: ApiTokenDoc): StoredToken {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}

export function toTokenInfo(token: StoredToken): ApiTokenInfo {
  const { secretHash: _secretHash, ...info } = token;
  return info;
}

export function createTokenRepository(models: Pick<Models, 'ApiToken'>) {
  const { ApiToken } = models;
  return {
    insert: async (token: Omit<StoredToken, 'createdAt' | 'lastUsedAt' | 'revokedAt'>): Promise<StoredToken> => {
      const { id, ...fields } = token;
      const doc = new ApiToken({ ...fields, _id: id });
      await insertOrConflict(`Token ${id}`, () => doc.save());
      return toStored(doc.toObject());
    },
    get: async (id: string): Promise<StoredToken | undefined> => {
      const doc = await ApiToken.findById(id).lean<ApiTokenDoc>();
      return doc ? toStored(doc) : undefined;
    },
    list: async (filter: { role?: Role; includeRevoked?: boolean } = {}): Promise<StoredToken[]> => {
      const query: Record<string, unknown> = {};
      if (filter.role) query.role = filter.role;
      if (!filter.includeRevoked) query.revokedAt = { $exists: false };
      const docs = await ApiToken.find(query).sort({ createdAt: 1, _id: 1 }).lean<ApiTokenDoc[]>();
      return docs.map(toStored);
    },
    /** Revokes once: the first revocation time is kept. Undefined when no such token. */
    revoke: async (id: string, at: Date): Promise<StoredToken | undefined> => {
      await ApiToken.updateOne({ _id: id, revokedAt: { $exists: false } }, { $set: { revokedAt: at } });
      const doc = await ApiToken.findById(id).lean<ApiTokenDoc>();
      return doc ? toStored(doc) : undefined;
    },
    touch: async (id: string, at: Date): Promise<void> => {
      await ApiToken.updateOne({ _id: id }, { $set: { lastUsedAt: at } });
    },
  };
}

export type TokenRepository = ReturnType<typeof createTokenRepository>;

export { ROLES, type Role } from '../../models/api-token.ts';
