// Renders and validates a 1000-node spec and prints the time of each phase (median of several runs).
import {performance} from 'node:perf_hooks';
import {stringify} from 'yaml';
import {readTemplates} from '../source/io/templates.ts';
import {renderCluster} from '../source/render/index.ts';
import {generateSecrets} from '../source/secrets/generate.ts';
import {loadSpec} from '../source/spec/load.ts';
import {median} from './stats.ts';

const nodeCount = 1000;
const runs = 7;

/** 3 control planes with keepalived + haproxy, the rest workers, on a /16. */
function bigSpecText(): string {
	const nodes = Array.from({length: nodeCount}, (_, index) => ({
		name: index < 3 ? `cp${index + 1}` : `worker${index - 2}`,
		address: `10.1.${Math.floor((index + 10) / 250)}.${((index + 10) % 250) + 1}`,
		roles: index < 3 ? ['control-plane', 'load-balancer'] : ['worker'],
	}));
	return stringify({
		apiVersion: 'kubeha/v1alpha1',
		kind: 'Cluster',
		name: 'big',
		kubernetes: {podSubnet: '10.128.0.0/12'},
		loadBalancer: {vip: '10.1.255.254/16', interface: 'eth0'},
		nodes,
	});
}

function time<T>(action: () => T): [T, number] {
	const start = performance.now();
	const result = action();
	return [result, performance.now() - start];
}

export async function benchRender(): Promise<Record<string, number>> {
	const text = bigSpecText();
	const templates = await readTemplates();
	const loaded = loadSpec(text);
	const {spec} = loaded;
	if (!spec || !loaded.valid) {
		throw new Error(`the benchmark spec is invalid: ${JSON.stringify(loaded.findings.slice(0, 3))}`);
	}

	const secrets = await generateSecrets(spec);
	const loadTimes: number[] = [];
	const renderTimes: number[] = [];
	let fileCount = 0;
	for (let run = 0; run < runs; run++) {
		const [result, loadTime] = time(() => loadSpec(text));
		const [hosts, renderTime] = time(() => renderCluster(result.spec ?? spec, secrets, templates));
		fileCount = hosts.reduce((sum, host) => sum + host.files.length, 0);
		loadTimes.push(loadTime);
		renderTimes.push(renderTime);
	}

	console.log(`render and validate, ${nodeCount} nodes (${fileCount} files), median of ${runs} runs:`);
	console.log(`  parse + validate: ${median(loadTimes).toFixed(1)} ms`);
	console.log(`  render:           ${median(renderTimes).toFixed(1)} ms`);
	return {parseValidateMs: median(loadTimes), renderMs: median(renderTimes)};
}
