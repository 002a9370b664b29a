/** A loopback HTTP server for fakes of real APIs: records every request, answers through a handler. */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  /** Never answer (until the server closes): for timeout tests. */
  hang?: boolean;
}

export type FakeHandler = (req: RecordedRequest) => FakeReply | Promise<FakeReply>;

export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  private readonly hanging = new Set<ServerResponse>();

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(handler: FakeHandler): Promise<FakeServer> {
    const ref: { fake?: FakeServer } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown = raw;
        try {
          body = raw ? JSON.parse(raw) : undefined;
        } catch {
          // keep the raw text
        }
        const url = new URL(req.url ?? '/', 'http://fake');
        const recorded = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body };
        ref.fake?.requests.push(recorded);
        Promise.resolve(handler(recorded)).then(
          (reply) => {
            if (reply.hang) {
              ref.fake?.hanging.add(res);
              return;
            }
            const isJson = reply.json !== undefined;
            res.writeHead(reply.status ?? 200, { 'content-type': isJson ? 'application/json' : 'text/plain', ...reply.headers });
            res.end(isJson ? JSON.stringify(reply.json) : (reply.text ?? ''));
          },
          (err: unknown) => {
            res.writeHead(500, { 'content-type': 'text/plain' });
            res.end(String(err));
          },
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    ref.fake = new FakeServer(server, `http://127.0.0.1:${port}`);
    return ref.fake;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
