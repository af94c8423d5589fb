/**
 * Polls `url` until it answers `wanted` (e.g. a service's /readyz answering 200) or `timeoutMs`
 * passes; returns the last status seen (0 = no answer). Used by the tools that start a service
 * and wait for it (fuzzing, benchmarks) and by tests of outages.
 */
export async function pollStatus(url: string, wanted: number, timeoutMs: number, intervalMs = 200): Promise<number> {
  const end = Date.now() + timeoutMs;
  let last = 0;
  while (Date.now() < end) {
    last = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (last === wanted) return last;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return last;
}

/** Waits until the service at `baseUrl` is ready (GET /readyz → 200), or throws. */
export async function waitReady(baseUrl: string, timeoutMs: number): Promise<void> {
  const status = await pollStatus(`${baseUrl}/readyz`, 200, timeoutMs, 250);
  if (status !== 200) throw new Error(`the service at ${baseUrl} was not ready after ${Math.round(timeoutMs / 1000)} s (last /readyz status: ${status || 'no answer'})`);
}
