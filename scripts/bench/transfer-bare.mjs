// The bare libraries doing what a Kurýr transfer block does, as the benchmark's yardstick:
// basic-ftp or ssh2-sftp-client, an upload to a temporary name with a rename and a size check,
// or a download to a file, each with the library's fastest call for a local file. Prints nothing; the parent measures time and memory.
//
// Usage: node transfer-bare.mjs ftp|sftp upload|download ACCOUNT_JSON REMOTE_FOLDER LOCAL_FILE
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(fileURLToPath(new URL('../../nodes/package.json', import.meta.url)));
const [protocol, direction, accountJson, folder, localFile] = process.argv.slice(2);
const account = JSON.parse(accountJson);
const remote = posix.join(folder, basename(localFile));
const staged = posix.join(folder, `.${basename(localFile)}.part`);

if (protocol === 'ftp') {
  const { Client } = require('basic-ftp');
  const client = new Client(30_000);
  await client.access({
    host: account.host,
    port: account.port,
    user: account.user,
    password: account.password,
    secure: true,
    secureOptions: { ca: account.caCertificate },
  });
  if (direction === 'upload') {
    await client.uploadFrom(createReadStream(localFile), staged);
    await client.rename(staged, remote);
    await client.size(remote);
  } else {
    await client.downloadTo(localFile, remote);
  }
  client.close();
} else {
  const SftpClient = require('ssh2-sftp-client');
  const client = new SftpClient();
  await client.connect({
    host: account.host,
    port: account.port,
    username: account.user,
    privateKey: account.privateKey,
  });
  if (direction === 'upload') {
    // fastPut keeps many writes in flight; put from a stream writes 64 KiB per round trip,
    // which over loopback is ten times slower than the block and no fair yardstick.
    await client.fastPut(localFile, staged);
    await client.posixRename(staged, remote);
    await client.stat(remote);
  } else {
    await client.fastGet(remote, localFile);
  }
  await client.end();
}
