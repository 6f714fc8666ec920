import {controlPlanes} from '../spec/cluster.ts';
import type {NodeSpec} from '../spec/schema.ts';
import {fill} from './template.ts';
import type {RenderContext, RenderedFile} from './types.ts';

export const haproxyConfigPath = '/etc/haproxy/haproxy.cfg';

/**
haproxy's runtime API (`show servers state`, `disable server`), for the status command. Debian's haproxy
package makes /run/haproxy; the static pod mounts it from the host, so the socket is reachable there too.
*/
export const haproxyAdminSocket = '/run/haproxy/admin.sock';

/** haproxy's configuration for one load-balancer node: every control plane behind the load-balancer port. */
export function haproxyFiles(context: RenderContext, node: NodeSpec): RenderedFile[] {
	const {spec} = context;
	const config = fill(context, 'haproxy.cfg.mustache', {
		cluster: spec.name,
		node: node.name,
		port: spec.loadBalancer.port,
		adminSocket: haproxyAdminSocket,
		servers: controlPlanes(spec).map((controlPlane) => ({
			name: controlPlane.name,
			address: controlPlane.address,
			port: spec.apiServer.bindPort,
		})),
		statsPort: spec.loadBalancer.statsPort ?? false,
	});
	return [{path: haproxyConfigPath, content: config, mode: 0o644, secret: false}];
}
