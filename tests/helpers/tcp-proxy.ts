/**
 * A TCP proxy on a free port that can be paused, to cut one process off from a server (Redis)
 * the way a network partition or a frozen VM does: while paused, nothing is read from either side,
 * so bytes wait in the kernel's buffers and arrive, in order, on `resume()`.
 */
import net from 'node:net';

export interface TcpProxy {
  /** host:port to connect to instead of the upstream. */
  readonly port: number;
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(upstreamPort: number, upstreamHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let paused = false;
  const server = net.createServer((downstream) => {
    const upstream = net.connect(upstreamPort, upstreamHost);
    for (const socket of [downstream, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      // A reset on one side ends the pair; the test sees it as a dropped connection.
      socket.on('error', () => {
        downstream.destroy();
        upstream.destroy();
      });
      if (paused) socket.pause();
    }
    // Forwarded by hand, not piped: a pipe resumes its source on 'drain', which would undo pause().
    downstream.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => downstream.write(chunk));
    downstream.on('end', () => upstream.end());
    upstream.on('end', () => downstream.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    pause() {
      paused = true;
      for (const socket of sockets) socket.pause();
    },
    resume() {
      paused = false;
      for (const socket of sockets) socket.resume();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
