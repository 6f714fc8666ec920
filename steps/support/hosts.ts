import {type ClusterSpec, controlPlanes, firstControlPlane} from '../../source/spec/cluster.ts';
import type {NodeSpec} from '../../source/spec/schema.ts';

/** The control plane that runs kubeadm init, as a host list (empty for a spec without control planes). */
export function firstControlPlaneOnly(spec: ClusterSpec): NodeSpec[] {
	const first = firstControlPlane(spec);
	return first ? [first] : [];
}

/** The control planes that join the first one. */
export const joiningControlPlanes = (spec: ClusterSpec): NodeSpec[] => controlPlanes(spec).slice(1);
