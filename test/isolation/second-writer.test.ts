import { isolationSuite } from './isolation-suite.js';

isolationSuite('second writer').run();
