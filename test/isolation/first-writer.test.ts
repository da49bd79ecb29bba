import { isolationSuite } from './isolation-suite.js';

isolationSuite('first writer').run();
