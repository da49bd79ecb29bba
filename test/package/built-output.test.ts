import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packageRoot } from '../../src/migrate/package-paths.js';

/** `import { connect } from 'carepulse'` works from plain Node ESM, without tsx: the compiled output resolves. */
const test = suite('built package');
const run = promisify(execFile);
const outDir = join(packageRoot, '.carepulse', 'build-check');

test('the compiled entry point loads in plain Node and exports the client and its errors', async () => {
  await rm(outDir, { recursive: true, force: true });
  try {
    await run(
      process.execPath,
      [join(packageRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir],
      {
        cwd: packageRoot,
      },
    );
    const { stdout } = await run(process.execPath, [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(join(outDir, 'index.js'))});
       console.log([typeof m.connect, typeof m.ValidationError, typeof m.NotFoundError, typeof m.ConflictError, typeof m.ConnectionError].join(' '));`,
    ]);
    assert.is(stdout.trim(), 'function function function function function');
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});

test.run();
