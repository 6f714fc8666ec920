import type {RenderedFile} from './types.ts';

/** The systemd drop-in through which kubeha makes a load-balancer service come back after a crash. */
export const restartDropInPath = (service: 'keepalived' | 'haproxy'): string =>
	`/etc/systemd/system/${service}.service.d/kubeha-restart.conf`;

/**
How soon each service comes back. keepalived killed outright (kill -9, the OOM killer) cannot remove the VIP, and
the next backup adds it too: two holders until keepalived runs here again. Debian's keepalived unit has no
`Restart=`; started again, keepalived removes its VIPs before it takes part ("removing VIPs", then BACKUP (init):
keepalived 2.2.7), so one node holds the VIP again. 1 s: a quicker start gains nothing (the backup's master-down
timer, about 3.6 s, decides who holds the VIP meanwhile), and systemd's start limit (5 starts in 10 s) still gives
up on a keepalived that cannot run, whose VIP then goes to a backup for good. Debian's haproxy unit already says
`Restart=always` with systemd's default 100 ms: written here too for distributions whose unit does not, and so
that the node says it; a haproxy back within a check interval does not even move the VIP.
*/
const restartAfter = {keepalived: '1s', haproxy: '100ms'} as const;

/** `Restart=always` for keepalived and haproxy (systemd deploy; as static pods, the kubelet restarts them). */
export function serviceRestartFiles(cluster: string, node: string): RenderedFile[] {
	return (['keepalived', 'haproxy'] as const).map((service) => ({
		path: restartDropInPath(service),
		content: [
			`# Rendered by kubeha for cluster ${cluster}, node ${node}: ${service} comes back by itself when it dies`,
			`# (a crash, kill -9, the OOM killer); \`systemctl stop\` still stops it. See \`systemctl cat ${service}\`.`,
			'[Service]',
			'Restart=always',
			`RestartSec=${restartAfter[service]}`,
			'',
		].join('\n'),
		mode: 0o644,
		secret: false,
	}));
}
