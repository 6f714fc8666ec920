import {controlPlanes} from '../../spec/cluster.ts';
import {colocatedLoadBalancerPort, completeSpec, sharesNodeWithApiServer} from '../../spec/defaults.ts';
import type {Answers} from '../answers.ts';
import {setSection} from '../edit.ts';
import {numberQuestion, type Question} from '../question.ts';
import {editing, type Step} from '../step.ts';

const loadBalancerPort = numberQuestion({
	id: 'loadBalancerPort',
	prompt: 'Port on the VIP',
	explanation(answers) {
		const apiServerPort = answers.spec.apiServer.bindPort;
		if (!sharesNodeWithApiServer(answers.spec)) {
			return `haproxy runs on nodes of its own, so the VIP can keep the API server's port ${apiServerPort}.`;
		}

		const names = controlPlanes(answers.spec).map((node) => node.name);
		return `${colocatedLoadBalancerPort} proposed: haproxy shares ${names.join(', ')} with kube-apiserver, which holds ${apiServerPort} on every address.`;
	},
	paths: ['loadBalancer.port'],
	empty: 'the default',
	read: (answers) => completeSpec(answers.spec).loadBalancer.port,
	write: (answers, value) => setSection(answers, 'loadBalancer', {port: value}),
});

const apiServerPort = numberQuestion({
	id: 'bindPort',
	prompt: 'API server port',
	explanation: () => 'The port kube-apiserver listens on, on every control plane; 6443 unless something else has it.',
	paths: ['apiServer.bindPort'],
	read: (answers) => answers.spec.apiServer.bindPort,
	write: (answers, value) => setSection(answers, 'apiServer', {bindPort: value}),
});

const statsPort = numberQuestion({
	id: 'statsPort',
	prompt: 'haproxy stats port',
	explanation: () => "haproxy's statistics page (e.g. 1080); leave it empty for none.",
	paths: ['loadBalancer.statsPort'],
	empty: 'none',
	read: (answers) => answers.spec.loadBalancer.statsPort,
	write: (answers, value) => setSection(answers, 'loadBalancer', {statsPort: value}),
});

const keepalived = (answers: Answers): boolean => answers.spec.loadBalancer.mode === 'keepalived-haproxy';

export const portsStep: Step = {
	id: 'ports',
	title: 'Ports',
	kind: 'form',
	shouldAsk: editing,
	// kube-vip leads straight to the API server, and an external load balancer's port is in its endpoint.
	questions: (answers): Question[] =>
		keepalived(answers) ? [loadBalancerPort, apiServerPort, statsPort] : [apiServerPort],
	summary(answers) {
		const spec = completeSpec(answers.spec);
		const stats = spec.loadBalancer.statsPort === undefined ? '' : `, stats :${spec.loadBalancer.statsPort}`;
		return `VIP :${spec.loadBalancer.port} → API server :${spec.apiServer.bindPort}${stats}`;
	},
};
