import { request as httpRequest } from 'node:http';
import { expect } from 'chai';
import { startTestService } from '../support/service.ts';

describe('graceful shutdown', () => {
  it('finishes a request that is in flight, then refuses new connections', async () => {
    const service = await startTestService({ SHUTDOWN_TIMEOUT_MS: '20000' }, 'shutdown');
    const { port } = new URL(service.url);
    const body = JSON.stringify({ filler: 'x'.repeat(2000) });
    const inFlight = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, method: 'POST', path: '/api/v1/not-a-route', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      // Half of the body now, the rest only after shutdown has begun.
      req.write(body.slice(0, 1000));
      service.server.once('request', () => {
        void service.close();
        setTimeout(() => req.end(body.slice(1000)), 300);
      });
    });
    const response = await inFlight;
    expect(response.status).to.equal(404);
    expect(JSON.parse(response.text)).to.include({ status: 404 });
    await service.close();
    let refused = false;
    try {
      await fetch(`${service.url}/healthz`);
    } catch {
      refused = true;
    }
    expect(refused).to.equal(true);
  });
});
