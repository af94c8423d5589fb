import { Schema, type Connection, type Model } from 'mongoose';

export const ROLES = ['admin', 'planner', 'warehouse', 'unit', 'national'] as const;
export type Role = (typeof ROLES)[number];

/**
 * An API token. The secret is never stored: only its SHA-256 (`secretHash`, hex). The token
 * string is "rds_<_id>_<secret>" so authentication is an `_id` lookup plus a constant-time compare.
 */
export interface ApiTokenDoc {
  _id: string;
  name: string;
  role: Role;
  /** Unit tokens: the only unit they act for. */
  unitClues?: string;
  /** Planner / warehouse tokens: optional INEGI state scope. */
  state?: string;
  secretHash: string;
  createdBy?: string;
  createdAt: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
}

export const apiTokenSchema = new Schema<ApiTokenDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true, trim: true },
    role: { type: String, enum: ROLES, required: true },
    unitClues: { type: String },
    state: { type: String, match: /^\d{2}$/ },
    secretHash: { type: String, required: true },
    createdBy: { type: String },
    createdAt: { type: Date, required: true, default: () => new Date() },
    lastUsedAt: { type: Date },
    revokedAt: { type: Date },
  },
  { collection: 'api_tokens', id: false, versionKey: false },
);

export type ApiTokenModel = Model<ApiTokenDoc>;
export function apiTokenModel(connection: Connection): ApiTokenModel {
  return (connection.models.ApiToken as ApiTokenModel | undefined) ?? connection.model<ApiTokenDoc>('ApiToken', apiTokenSchema);
}
