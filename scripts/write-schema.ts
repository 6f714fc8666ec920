// Writes schema/cluster.schema.json from the zod schema; a test fails when the committed file is stale.
import {writeFileSync} from 'node:fs';
import {clusterJsonSchema} from '../source/commands/schema.ts';

writeFileSync(
	new URL('../schema/cluster.schema.json', import.meta.url),
	`${JSON.stringify(clusterJsonSchema(), undefined, 2)}\n`,
);
