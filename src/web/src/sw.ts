/**
 * Service worker: keeps the console usable without connectivity. The app shell and the state
 * basemap are served network-first with a cache fallback; GET answers of the API are cached the
 * same way so a coordinator can still read the day's routes offline (the cache is dropped at
 * sign-out). Writes never go through a cache: the page's IndexedDB outbox queues them.
 */

// The root tsconfig has DOM types only; these are the few worker types this file needs.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Promise<Response> | Response): void;
}
interface WorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
}

const scope = self as unknown as WorkerScope;
const SHELL_CACHE = 'rutas-shell-v1';
export const API_CACHE = 'rutas-api-v1';
const SHELL = ['/', '/index.html', '/app.js', '/styles.css', '/vendor/leaflet.css', '/geo/mx-states.json'];

scope.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => scope.skipWaiting()),
  );
});

scope.addEventListener('activate', (event) => {
  event.waitUntil(scope.clients.claim());
});

async function networkFirst(request: Request, cacheName: string, fallbackUrl?: string): Promise<Response> {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = (await cache.match(request)) ?? (fallbackUrl ? await cache.match(fallbackUrl) : undefined);
    if (cached) return cached;
    throw error;
  }
}

scope.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== scope.location.origin) return;
  const accept = request.headers.get('accept') ?? '';
  if (url.pathname.startsWith('/api/')) {
    // Streams and downloads are not cached; JSON reads are.
    if (accept.includes('text/event-stream') || !accept.includes('application/json')) return;
    event.respondWith(networkFirst(request, API_CACHE));
    return;
  }
  if (url.pathname === '/sw.js') return;
  event.respondWith(networkFirst(request, SHELL_CACHE, request.mode === 'navigate' ? '/index.html' : undefined));
});
