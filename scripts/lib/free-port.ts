/**
 * Find a TCP port that is free on the loopback interface.
 *
 * We ask the kernel for an ephemeral port by listening on 127.0.0.1:0, read the
 * port it picked and close the socket again. There is an unavoidable race (another
 * process may grab the port before our caller binds it), but for starting local
 * dev/test servers this is the standard, good-enough approach.
 */
import * as net from 'net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    // Do not keep the event loop alive because of this probe socket.
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('freePort: could not determine the allocated port'));
        return;
      }
      const { port } = address;
      server.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}
