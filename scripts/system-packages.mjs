#!/usr/bin/env node
// Installs the Debian packages that the tests use as independent references and real
// peers (readers, converters, servers, the browser), and unpacks the few that cannot be
// installed beside them. `pnpm test` runs it first. When a
// package is missing and this process cannot install it (not root, no apt-get), it prints
// the command to run and exits 0, so that the tests that need the package fail and name it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Folder for packages that are unpacked for the tests rather than installed. */
const extractedRoot = fileURLToPath(new URL('../.system-packages/', import.meta.url));

/**
 * Debian packages that the tests run from an unpacked copy: `apt-get download` and
 * `dpkg-deb -x` into `.system-packages/NAME`, never installed. vsftpd cannot be installed
 * beside pure-ftpd, because both provide ftp-server.
 */
export const extractedTools = {
  vsftpd: {
    package: 'vsftpd',
    binary: 'usr/sbin/vsftpd',
    purpose: 'real implicit FTPS server for the FTP blocks (pure-ftpd has only explicit FTPS)',
  },
};

/** Returns the path of an unpacked tool's binary. */
export function extractedToolPath(name) {
  const tool = extractedTools[name];
  if (tool === undefined) throw new Error(`unknown unpacked tool "${name}"`);
  return join(extractedRoot, name, tool.binary);
}

/**
 * Each entry: a check that succeeds when the tool is present, the Debian package that
 * provides it, and what the tests use it for.
 */
export const systemTools = {
  recode: {
    check: ['recode', '--version'],
    package: 'recode',
    purpose: 'independent KEYBCS2 (Kamenický) table',
  },
  dbfread: {
    // Debian's python3-dbfread installs into the system interpreter, not into a pyenv one.
    check: ['/usr/bin/python3', '-c', 'import dbfread'],
    package: 'python3-dbfread',
    purpose: 'second DBF reader for differential tests',
  },
  ogrinfo: {
    check: ['ogrinfo', '--version'],
    package: 'gdal-bin',
    purpose: "GDAL's DBF reader for differential tests",
  },
  soffice: {
    check: ['soffice', '--version'],
    package: 'libreoffice-calc-nogui',
    purpose: 'opens written CSV files as a spreadsheet program does',
  },
  'pure-ftpd': {
    check: ['sh', '-c', 'command -v pure-ftpd && command -v pure-pw'],
    package: 'pure-ftpd',
    purpose: 'real FTP and FTPS server for the FTP blocks',
  },
  sshd: {
    check: ['sh', '-c', 'test -x /usr/sbin/sshd'],
    package: 'openssh-server',
    purpose: 'real SFTP server for the SFTP blocks',
  },
  openssl: {
    check: ['openssl', 'version'],
    package: 'openssl',
    purpose: 'certificates and keys for the test servers',
  },
  chromium: {
    check: ['/usr/bin/chromium', '--version'],
    package: 'chromium',
    purpose: 'runs the browser editor in end-to-end tests (driven by playwright-core)',
  },
};

/** Runs the tool's check and returns whether it exited 0. */
export function hasSystemTool(name) {
  if (name in extractedTools) return existsSync(extractedToolPath(name));
  const tool = systemTools[name];
  if (tool === undefined) throw new Error(`unknown system tool "${name}"`);
  const [command, ...args] = tool.check;
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 60_000 });
  return result.status === 0;
}

/** Returns the message a test shows when a tool it needs is missing. */
export function missingToolMessage(name) {
  if (name in extractedTools) {
    const tool = extractedTools[name];
    return (
      `${name} is not unpacked (${tool.purpose}). Run node scripts/system-packages.mjs, which ` +
      `unpacks the Debian package ${tool.package} into ${join(extractedRoot, name)} without installing it.`
    );
  }
  const tool = systemTools[name];
  return (
    `${name} is not installed (${tool.purpose}). Install the Debian package ` +
    `${tool.package}: apt-get install ${tool.package}, or run node scripts/system-packages.mjs as root.`
  );
}

/** Throws the missing-tool message when the tool is absent. Tests call it before using one. */
export function requireSystemTool(name) {
  if (!hasSystemTool(name)) throw new Error(missingToolMessage(name));
}

function installMissing() {
  const missing = Object.keys(systemTools).filter((name) => !hasSystemTool(name));
  if (missing.length === 0) return 0;
  const packages = [...new Set(missing.map((name) => systemTools[name].package))];
  const command = ['apt-get', 'install', '-y', '--no-install-recommends', ...packages];
  const canInstall =
    process.getuid?.() === 0 &&
    spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!canInstall) {
    console.error(
      `system-packages: missing ${packages.join(', ')}; the tests that need them will fail.\n` +
        `Install them with: sudo ${command.join(' ')}`,
    );
    return 0;
  }
  console.error(`system-packages: installing ${packages.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let result = spawnSync(command[0], command.slice(1), { stdio: 'inherit', env });
  if (result.status !== 0) {
    // The package lists may be stale or absent on a fresh machine.
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    result = spawnSync(command[0], command.slice(1), { stdio: 'inherit', env });
  }
  if (result.status !== 0) {
    console.error(
      `system-packages: apt-get failed; the tests that need ${packages.join(', ')} will fail.`,
    );
  }
  return 0;
}

/** Unpacks each missing extracted tool's package; a failure only prints what went wrong. */
function extractMissing() {
  for (const name of Object.keys(extractedTools)) {
    if (hasSystemTool(name)) continue;
    const { package: packageName } = extractedTools[name];
    console.error(`system-packages: unpacking ${packageName} into ${join(extractedRoot, name)}`);
    const download = mkdtempSync(join(tmpdir(), 'kuryr-deb-'));
    try {
      const fetched = spawnSync('apt-get', ['download', packageName], {
        cwd: download,
        stdio: 'inherit',
      });
      const deb = readdirSync(download).find((file) => file.endsWith('.deb'));
      if (fetched.status !== 0 || deb === undefined) {
        console.error(`system-packages: apt-get download ${packageName} failed.`);
        continue;
      }
      mkdirSync(join(extractedRoot, name), { recursive: true });
      const unpacked = spawnSync(
        'dpkg-deb',
        ['-x', join(download, deb), join(extractedRoot, name)],
        {
          stdio: 'inherit',
        },
      );
      if (unpacked.status !== 0) console.error(`system-packages: dpkg-deb -x ${deb} failed.`);
    } finally {
      rmSync(download, { recursive: true, force: true });
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = installMissing();
  extractMissing();
}
