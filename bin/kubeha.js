#!/usr/bin/env node
import module from 'node:module';

// Compiled code is cached on disk (Node ≥ 22.1): a command starts about a fifth faster from the second run on.
module.enableCompileCache?.();
await import('../distribution/source/cli.js');
