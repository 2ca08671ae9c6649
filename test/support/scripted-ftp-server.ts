import { createServer, type Server, type Socket } from 'node:net';
import { forwardLines } from './ftp-fault-proxy.js';

/**
 * A minimal FTP server that answers every LIST with fixed lines, for listing formats that no
 * real server here produces, e.g. the MS-DOS format of IIS. It knows only the commands a
 * client needs to log in and list; RETR and STOR are refused.
 */
export async function startScriptedFtpServer(
  listing: string[],
): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const servers = new Set<Server>();
  let dataSocket: Promise<Socket> | undefined;

  const openDataListener = async (): Promise<number> => {
    const listener = createServer();
    servers.add(listener);
    dataSocket = new Promise((resolve) =>
      listener.once('connection', (socket) => {
        sockets.add(socket);
        listener.close();
        resolve(socket);
      }),
    );
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    return (listener.address() as { port: number }).port;
  };

  const answer = async (client: Socket, line: string): Promise<void> => {
    const verb = line.split(' ')[0]!.toUpperCase();
    const reply = (text: string) => client.write(text + '\r\n');
    switch (verb) {
      case 'USER':
        return void reply('331 Password required');
      case 'PASS':
        return void reply('230 User logged in.');
      case 'FEAT':
        return void reply('211 No features');
      case 'SYST':
        return void reply('215 Windows_NT');
      case 'TYPE':
      case 'STRU':
        return void reply('200 OK');
      case 'PWD':
        return void reply('257 "/" is current directory.');
      case 'EPSV':
        return void reply(`229 Entering Extended Passive Mode (|||${await openDataListener()}|)`);
      case 'LIST': {
        reply('125 Data connection already open; Transfer starting.');
        const socket = await dataSocket!;
        socket.end(listing.map((entry) => entry + '\r\n').join(''), () =>
          reply('226 Transfer complete.'),
        );
        return;
      }
      case 'QUIT':
        reply('221 Goodbye.');
        return void client.end();
      default:
        return void reply('502 Command not implemented.');
    }
  };

  const control = createServer((client) => {
    sockets.add(client);
    client.on('error', () => client.destroy());
    client.write('220 Microsoft FTP Service\r\n');
    forwardLines(client, (line) => answer(client, line));
  });
  servers.add(control);
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  return {
    port: (control.address() as { port: number }).port,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await Promise.all(
        [...servers].map((server) => new Promise((resolve) => server.close(resolve))),
      );
    },
  };
}
