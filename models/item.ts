import { Schema, type Connection, type Model } from 'mongoose';

export const ITEM_CATEGORIES = ['medicine', 'supply'] as const;
export type ItemCategory = (typeof ITEM_CATEGORIES)[number];

/** An item of the kit catalogue. `_id` IS the official code (clave), duplicated in `code` (unique). */
export interface ItemDoc {
  _id: string;
  code: string;
  name: string;
  presentation?: string;
  category: ItemCategory;
  coldChain: boolean;
  controlled: boolean;
  /** Pieces per pack. */
  packSize: number;
  /** Weight and volume of one piece (assumptions, configurable). */
  unitWeightKg: number;
  unitVolumeM3: number;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const itemSchema = new Schema<ItemDoc>(
  {
    _id: { type: String, required: true },
    code: { type: String, required: true, unique: true, trim: true },
    name: { type: String, required: true, trim: true },
    presentation: { type: String, trim: true },
    category: { type: String, enum: ITEM_CATEGORIES, required: true },
    coldChain: { type: Boolean, default: false },
    controlled: { type: Boolean, default: false },
    packSize: { type: Number, min: 1, default: 1 },
    unitWeightKg: { type: Number, min: 0, default: 0 },
    unitVolumeM3: { type: Number, min: 0, default: 0 },
    active: { type: Boolean, default: true },
  },
  { timestamps: true, collection: 'items', id: false, versionKey: false },
);

itemSchema.pre('validate', function setIdFromCode() {
  if (this._id === undefined || this._id === null) this._id = this.code;
});

export type ItemModel = Model<ItemDoc>;
export function itemModel(connection: Connection): ItemModel {
  return (connection.models.Item as ItemModel | undefined) ?? connection.model<ItemDoc>('Item', itemSchema);
}
