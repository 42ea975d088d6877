import { createServer } from 'node:net';

/**
 * Resolves when nothing listens on `host:port` yet.
 * @throws Error naming the port and the option to change it, when it is taken or invalid.
 */
export async function assertPortFree(port: number, host: string, option: string): Promise<void> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${option} must be a port number from 1 to 65535, not "${port}"`);
  }
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `port ${port} on ${host} is already in use (another api or demo?); choose another with ${option}`
            : `cannot listen on ${host}:${port} (${error.message}); choose another port with ${option}`,
        ),
      ),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
