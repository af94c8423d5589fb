/**
 * Builds data/kit/item-logistics.csv from data/kit/kit-items.csv and data/kit/pack-forms.csv:
 * one row per item with its pack form and the form's assumed weight, volume and base pieces.
 * Run once after changing the item list: `npx tsx scripts/build-kit-logistics.ts`. The output is
 * meant to be edited by hand afterwards (per-item corrections); re-running overwrites it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyPackForm, loadKitItems, loadPackForms } from '../src/services/catalog/kit.ts';
import { DATA_DIR } from '../src/services/catalog/reference.ts';

const forms = loadPackForms();
const lines = ['code,form,pack_size,weight_kg,volume_m3,base_pieces_30d'];
for (const item of loadKitItems().sort((a, b) => a.code.localeCompare(b.code))) {
  const form = forms.get(classifyPackForm(item.name, item.presentation));
  if (!form) throw new Error(`no pack form for ${item.code}`);
  lines.push([item.code, form.form, 1, form.weightKg, (form.volumeL / 1000).toFixed(5), form.basePieces30d].join(','));
}
writeFileSync(join(DATA_DIR, 'kit', 'item-logistics.csv'), `${lines.join('\n')}\n`);
process.stdout.write(`wrote ${lines.length - 1} items\n`);
