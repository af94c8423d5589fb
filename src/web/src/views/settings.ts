import { h, toast } from '../dom.ts';
import { t } from '../i18n.ts';
import { setTileUrl, tileUrl } from '../settings.ts';
import type { ViewContext } from '../context.ts';

export function settingsView(_ctx: ViewContext, root: HTMLElement): void {
  const input = h('input', { id: 's-tiles', type: 'url', value: tileUrl() ?? '', placeholder: 'https://…/{z}/{x}/{y}.png', style: 'width:100%' });
  const form = h('form', { class: 'card' }, h('label', null, t('settings.tiles'), input), h('p', { class: 'muted' }, t('settings.tilesHelp')), h('button', { type: 'submit', class: 'primary' }, t('settings.save')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    setTileUrl(input.value);
    toast(t('settings.saved'));
  });
  root.append(h('h1', null, t('settings.title')), form);
}
