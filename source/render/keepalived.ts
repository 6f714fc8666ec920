import {type ClusterSpec, loadBalancerNodes} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';
import {fill} from './template.ts';
import type {RenderContext, RenderedFile} from './types.ts';
import {vipInterface, vipWithPrefix} from './vip.ts';

export const keepalivedConfigPath = '/etc/keepalived/keepalived.conf';
export const checkApiserverPath = '/etc/keepalived/check_apiserver.sh';
export const checkHaproxyPath = '/etc/keepalived/check_haproxy.sh';

/**
The user the check scripts run as, named because keepalived's default (`keepalived_script`) rarely exists, and
then keepalived drops the checks with a mere log line ("Unable to set default user"). Root, not an unprivileged
user: keepalived releases before 2.2.8, Debian 12's 2.2.7 among them (2.1.5 was fine), end `keepalived -t` with
SIGTERM (exit 143) whenever scripts run as another user (keepalived#2587, #2617), and the config test is how
kubeha and its users check a file before keepalived loads it. The scripts only run curl against this node, and
enable_script_security still refuses them if anyone but root could change them or their directories.
*/
const scriptUser = 'root';

/**
VRRP timing, measured with keepalived 2.2.7 and haproxy 2.6 on three nodes in network namespaces (these files,
multicast and unicast, a client polling the VIP every 50 ms):

- A backup discards adverts whose priority is lower than its own ("received lower priority (99) advert -
  discarding") and takes over only when its master-down timer, 3 × advert_int + (256 − priority) / 256 s, runs
  out after the last advert it accepted. So a check that merely lowers the master's priority moves the VIP
  2.5 to 3.5 s after the drop, whatever the weight: a hung haproxy (check_apiserver) cost 6.5 s in all.
- A master that goes to FAULT sends a priority-0 advert, and the backup then waits only its skew time; so
  does a master that stops. That fast path is why a dead haproxy puts the node in FAULT (check_haproxy,
  weight 0): the API came back after 0.8 to 1 s; after a graceful keepalived stop, 0.6 s.
- advert_int is 1, the least VRRPv2 allows (whole seconds), and authentication exists in VRRPv2 only: a holder
  cut off the network was replaced after 3.4 to 3.6 s.
- A dead API server cost no new request (haproxy redispatches); one in flight on it can be reset. No state
  changed in 60 s of steady running, and a recovered holder took the VIP back once.
*/
const advertInterval = 1;

/**
haproxy gone: one refused connection is enough, since only a missing listener refuses (a busy or hung haproxy
still accepts), and it moves the VIP in 0.8 to 1 s, where two failures 1 s apart took 1.7 to 2.6 s. A planned
change should `systemctl reload haproxy`, which keeps the listener; a quick restart moved the VIP in 1 of 5
tries. Three successes before the node may take the VIP back, so a crash-looping haproxy cannot pull it to and
fro every second.
*/
const haproxyCheck = {path: checkHaproxyPath, interval: 1, timeout: 2, fall: 1, rise: 3, maxTime: 1} as const;

/**
API unreachable through this node's haproxy: two failures 1 s apart lower the priority; three successes raise
it again. curl gets 2 s (an API server under load answers slowly), keepalived kills it after 3.
*/
const apiCheck = {path: checkApiserverPath, interval: 1, timeout: 3, fall: 2, rise: 3, maxTime: 2} as const;

/** A load-balancer node's keepalived priority; `completeSpec` gives every one of them a value. */
export function priorityOf(node: NodeSpec): number {
	if (node.priority === undefined) {
		throw new Error(`node ${node.name} has no keepalived priority: the spec was not completed (completeSpec)`);
	}

	return node.priority;
}

/**
How far a failed API check lowers a node's priority: one more than the spread of the load-balancer nodes'
priorities, so that any one failed node drops below every healthy one, and the failed keep their order among
themselves. keepalived accepts weights up to 253, so the spread must stay under 253.
*/
export function checkWeight(spec: ClusterSpec): number {
	const priorities = loadBalancerNodes(spec).map((node) => priorityOf(node));
	return Math.max(...priorities) - Math.min(...priorities) + 1;
}

/** The load-balancer node that starts as MASTER: the highest priority, the first listed on a tie. */
export function initialMaster(spec: ClusterSpec): NodeSpec | undefined {
	return loadBalancerNodes(spec).reduce<NodeSpec | undefined>(
		(best, node) => (best === undefined || priorityOf(node) > priorityOf(best) ? node : best),
		undefined,
	);
}

/** keepalived's configuration and its two check scripts, for one load-balancer node. */
export function keepalivedFiles(context: RenderContext, node: NodeSpec): RenderedFile[] {
	const {spec} = context;
	const {port} = spec.loadBalancer;
	const peers = loadBalancerNodes(spec)
		.filter((peer) => peer.name !== node.name)
		.map((peer) => peer.address);
	const config = fill(context, 'keepalived.conf.mustache', {
		cluster: spec.name,
		node: node.name,
		scriptUser,
		haproxyCheck,
		apiCheck: {...apiCheck, weight: checkWeight(spec)},
		state: node.name === initialMaster(spec)?.name ? 'MASTER' : 'BACKUP',
		interface: vipInterface(spec, node),
		virtualRouterId: spec.loadBalancer.virtualRouterId,
		priority: priorityOf(node),
		advertInterval,
		unicast: spec.loadBalancer.unicast ? {source: node.address, peers} : false,
		authPass: context.secrets.vrrpAuthPass,
		vip: vipWithPrefix(spec),
	});
	return [
		{path: keepalivedConfigPath, content: config, mode: 0o600, secret: true},
		{
			path: checkApiserverPath,
			content: fill(context, 'check_apiserver.sh.mustache', {port, maxTime: apiCheck.maxTime}),
			mode: 0o755,
			secret: false,
		},
		{
			path: checkHaproxyPath,
			content: fill(context, 'check_haproxy.sh.mustache', {port, maxTime: haproxyCheck.maxTime}),
			mode: 0o755,
			secret: false,
		},
	];
}
