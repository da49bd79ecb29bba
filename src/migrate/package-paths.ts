import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, found from this file whether it runs from src/ (tsx) or dist/ (built). */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const migrationsFolder = join(packageRoot, 'migrations');
export const committedMigrationsFolder = join(migrationsFolder, 'committed');
