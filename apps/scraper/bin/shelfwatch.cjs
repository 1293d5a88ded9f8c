#!/usr/bin/env node
// Runs the TypeScript sources directly (workspace libraries resolve to src/), as `npx tsx` does.
require('tsx/cjs');
require('../src/cli/main.ts');
