import { connect } from 'node:net';
import { checkPrivateSocket, gatewayPaths, type GatewayPaths } from './paths';
import { LineSplitter, WIRE_VERSION, frame } from './wire';

/**
 * Asks the running daemon one question (`status`, `stop`) and returns its one-line answer, parsed; undefined
 * when no daemon answers. Never starts a daemon.
 */
export async function queryDaemon(
  kind: 'status' | 'stop',
  paths: GatewayPaths = gatewayPaths(),
): Promise<Record<string, unknown> | undefined> {
  if (!checkPrivateSocket(paths.socket)) return undefined;
  return new Promise((resolve, reject) => {
    const socket = connect(paths.socket);
    let answered = false;
    const splitter = new LineSplitter((line) => {
      answered = true;
      socket.destroy();
      try {
        resolve(JSON.parse(line) as Record<string, unknown>);
      } catch (error) {
        reject(error as Error);
      }
    });
    socket.once('connect', () => socket.write(frame({ gateway: WIRE_VERSION, kind })));
    socket.on('data', (chunk) => splitter.push(chunk));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') resolve(undefined);
      else reject(error);
    });
    socket.once('close', () => {
      if (!answered) resolve(undefined);
    });
  });
}
