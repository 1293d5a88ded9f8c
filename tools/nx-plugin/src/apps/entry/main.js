'use strict';
// Every app's `node main.js` (ADR 0048): Node's compile cache turned on before the bundle is
// compiled, so its compiled code is kept on disk (under the OS temp folder; NODE_COMPILE_CACHE
// names another) and the next start of the same bundle skips compiling its 4 MB. Enabled from
// inside the bundle, the cache came too late for the bundle itself and served only node_modules.
require('node:module').enableCompileCache?.();
require('./bundle.js');
