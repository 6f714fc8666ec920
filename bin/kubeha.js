#!/usr/bin/env node
import '../distribution/source/cli.js';
