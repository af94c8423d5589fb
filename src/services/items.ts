import { NotFoundError } from '../errors.ts';
import type { Page, PageRequest } from '../repositories/common.ts';
import type { Item, ItemFilter, ItemInput, ItemPatch, ItemRepository } from '../repositories/items.ts';
import { authorize, type Principal } from './auth.ts';

export type { Item, ItemFilter } from '../repositories/items.ts';

/** The item catalogue: staff read it; admins change it. */
export function createItemService(deps: { items: ItemRepository }) {
  const { items } = deps;
  async function load(code: string): Promise<Item> {
    const item = await items.get(code);
    if (!item) throw new NotFoundError(`No item ${code}.`);
    return item;
  }
  return {
    async list(principal: Principal, filter: ItemFilter, page: PageRequest): Promise<Page<Item>> {
      authorize(principal, 'items:read');
      return items.list(filter, page);
    },
    async get(principal: Principal, code: string): Promise<Item> {
      authorize(principal, 'items:read');
      return load(code);
    },
    async create(principal: Principal, input: ItemInput): Promise<Item> {
      authorize(principal, 'items:write');
      return items.create(input);
    },
    async update(principal: Principal, code: string, patch: ItemPatch): Promise<Item> {
      authorize(principal, 'items:write');
      await load(code);
      return items.update(code, patch);
    },
    async deactivate(principal: Principal, code: string): Promise<Item> {
      authorize(principal, 'items:write');
      await load(code);
      return items.update(code, { active: false });
    },
  };
}

export type ItemService = ReturnType<typeof createItemService>;
