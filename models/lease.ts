import { Schema, type Connection, type Model } from 'mongoose';

/** A named lease (lock) held by one instance until `expiresAt`; `_id` is the lease name. */
export interface LeaseDoc {
  _id: string;
  owner: string;
  expiresAt: Date;
  acquiredAt: Date;
}

export const leaseSchema = new Schema<LeaseDoc>(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    acquiredAt: { type: Date, required: true },
  },
  { collection: 'leases', id: false, versionKey: false },
);

export type LeaseModel = Model<LeaseDoc>;
export function leaseModel(connection: Connection): LeaseModel {
  return (connection.models.Lease as LeaseModel | undefined) ?? connection.model<LeaseDoc>('Lease', leaseSchema);
}
