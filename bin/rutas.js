#!/usr/bin/env node
// Entry point of the `rutas` command: runs the TypeScript CLI directly through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
