/** Per-device settings (localStorage): the optional tile URL. */
const TILE_KEY = 'rutas.tileUrl';

export function tileUrl(): string | undefined {
  const value = localStorage.getItem(TILE_KEY);
  return value && /^https:\/\/.+\{z\}.+\{x\}.+\{y\}/.test(value) ? value : undefined;
}

export function setTileUrl(value: string): void {
  if (value.trim()) localStorage.setItem(TILE_KEY, value.trim());
  else localStorage.removeItem(TILE_KEY);
}
