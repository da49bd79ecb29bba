import { createRequire } from 'node:module';

// Not part of graphile-migrate's index; pinned with the package version (1.4.x).
const { clearAllPools } = createRequire(import.meta.url)('graphile-migrate/dist/pgReal.js') as {
  clearAllPools: () => void;
};

/** Ends graphile-migrate's idle pools now instead of 200 ms later. */
export function releaseGraphileMigratePools(): void {
  clearAllPools();
}
