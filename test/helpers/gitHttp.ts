/**
 * Bare repositories served over smart HTTP on 127.0.0.1 by the real `git http-backend` (CGI), from a small Node
 * `http` server: how most organisations' git hosts look to git. Options: private repositories behind HTTP Basic
 * auth, and a stalled server that accepts connections and never answers. A missing repository is http-backend's
 * own 404.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';
import { join } from 'node:path';

/** One request the server saw: enough for a test to check what git sent, and that a secret never travelled. */
export interface SeenRequest {
  method: string;
  url: string;
  /** The `Authorization` header as sent (empty when none). */
  authorization: string;
  status: number;
}

export interface GitHttpServer {
  port: number;
  /** `http://127.0.0.1:<port>/<name>` (`https://` with `tls`). */
  url(name: string): string;
  readonly requests: SeenRequest[];
  stop(): Promise<void>;
}

export interface GitHttpOptions {
  /** Repository folder names (e.g. `private.git`) that need HTTP Basic auth with these credentials. */
  private?: { repositories: string[]; user: string; password: string };
  /** Accept every connection and never answer. */
  stalled?: boolean;
  /** Serve HTTPS with this key and certificate (see {@link selfSignedCertificate}). */
  tls?: { key: string; cert: string };
}

/** A certificate for 127.0.0.1, made with openssl in `folder`: `certFile` is what git's `http.sslCAInfo` names. */
export function selfSignedCertificate(folder: string): { key: string; cert: string; certFile: string } {
  const keyFile = join(folder, 'server-key.pem');
  const certFile = join(folder, 'server-cert.pem');
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2'],
      ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile],
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

/** The `git-http-backend` program of the system git; throws if this git has none. */
export function httpBackendPath(): string {
  const execPath = execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim();
  const program = join(execPath, 'git-http-backend');
  if (!existsSync(program)) throw new Error(`git has no http-backend in ${execPath}`);
  return program;
}

/** Serves the bare repositories under `base` at `http://127.0.0.1:<port>/<folder name>`. */
export async function startGitHttp(base: string, options: GitHttpOptions = {}): Promise<GitHttpServer> {
  const backend = httpBackendPath();
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const handler: RequestListener = (request, response) => {
    const seen: SeenRequest = {
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      authorization: request.headers.authorization ?? '',
      status: 0,
    };
    requests.push(seen);
    if (options.stalled) return; // the connection stays open, and nothing ever comes back
    response.on('finish', () => (seen.status = response.statusCode));
    const user = authorisedUser(request, options);
    if (user === false) {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="org repositories"', 'Content-Type': 'text/plain' });
      response.end('Authentication required\n');
      return;
    }
    serveWithBackend(backend, base, request, response, user);
  };
  const server = options.tls ? createTlsServer(options.tls, handler) : createServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A stalled server must not answer 408 on its own either.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: (name) => `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/${name}`,
    requests,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The user a request is served as: `''` for a public repository, false when credentials are missing or wrong. */
function authorisedUser(request: IncomingMessage, options: GitHttpOptions): string | false {
  const secret = options.private;
  const repository = (request.url ?? '/').split('?')[0].split('/')[1] ?? '';
  if (!secret || !secret.repositories.includes(repository)) return '';
  const match = /^Basic (.+)$/i.exec(request.headers.authorization ?? '');
  if (!match) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  return decoded === `${secret.user}:${secret.password}` ? secret.user : false;
}

/** Runs `git http-backend` for one request: the body streams to it, its CGI answer streams back. */
function serveWithBackend(
  backend: string,
  base: string,
  request: IncomingMessage,
  response: ServerResponse,
  user: string,
): void {
  const [path, query = ''] = (request.url ?? '/').split(/\?(.*)/s);
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(', ') : (value ?? '');
  };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: base,
    GIT_HTTP_EXPORT_ALL: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    HOME: base,
    PATH_INFO: decodeURIComponent(path),
    QUERY_STRING: query,
    REQUEST_METHOD: request.method ?? 'GET',
    CONTENT_TYPE: header('content-type'),
    REMOTE_USER: user,
    REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
    SERVER_PROTOCOL: `HTTP/${request.httpVersion}`,
    GATEWAY_INTERFACE: 'CGI/1.1',
    // Protocol v2 is asked for in a header; http-backend reads it as a CGI variable.
    HTTP_GIT_PROTOCOL: header('git-protocol'),
    GIT_PROTOCOL: header('git-protocol'),
    HTTP_CONTENT_ENCODING: header('content-encoding'),
  };
  if (request.headers['content-length'] !== undefined) env.CONTENT_LENGTH = header('content-length');
  const child = spawn(backend, [], { env, stdio: ['pipe', 'pipe', 'ignore'] });
  request.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) return void response.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    const bare = head.indexOf('\n\n');
    const split = end >= 0 && (bare < 0 || end < bare) ? { at: end, length: 4 } : { at: bare, length: 2 };
    if (split.at < 0) return;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, split.at).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
      else headers[name] = value;
    }
    response.writeHead(status, headers);
    headersSent = true;
    response.write(head.subarray(split.at + split.length));
  });
  child.on('close', () => {
    if (!headersSent) response.writeHead(502).end();
    else response.end();
  });
  response.on('close', () => child.kill('SIGKILL'));
}
