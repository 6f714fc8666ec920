import {z} from 'zod';
import {clusterSchema} from '../spec/schema.ts';

/** The JSON Schema of cluster.yaml, for editors (yaml-language-server) and other tools. */
export function clusterJsonSchema(): object {
	return {
		title: 'kubeha cluster spec (cluster.yaml)',
		...z.toJSONSchema(clusterSchema, {io: 'input', target: 'draft-2020-12'}),
	};
}
