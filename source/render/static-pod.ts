import type {IPod, IVolume, IVolumeMount} from 'kubernetes-models/v1';
import {Document} from 'yaml';
import type {RenderedFile} from './types.ts';

/** Where the kubelet looks for static pods (kubeadm's default). */
export const manifestsDirectory = '/etc/kubernetes/manifests';

/**
A static pod manifest, named after the pod, under a comment that says why it is built as it is: the file is
what an operator reads on the node. 0600 like kubeadm's own manifests.
*/
export function staticPodFile(pod: IPod & {metadata: {name: string}}, comment: readonly string[]): RenderedFile {
	const document = new Document(pod);
	document.commentBefore = comment.map((line) => ` ${line}`).join('\n');
	return {
		path: `${manifestsDirectory}/${pod.metadata.name}.yaml`,
		content: document.toString({lineWidth: 0}),
		mode: 0o600,
		secret: false,
	};
}

/** A host path shared with a container: the volume and its mount, which a pod needs by the pair. */
export type HostPath = {readonly volume: IVolume; readonly mount: IVolumeMount};

/**
A file of the host, read-only in the container. `File` rather than kubeadm's `FileOrCreate`: a missing file
keeps the pod from starting, instead of starting it on an empty file the kubelet made.
*/
export const hostFile = (name: string, hostPath: string, mountPath: string): HostPath => ({
	volume: {name, hostPath: {path: hostPath, type: 'File'}},
	mount: {name, mountPath, readOnly: true},
});

/** A directory of the host the container writes to, made by the kubelet when missing. */
export const hostDirectory = (name: string, hostPath: string, mountPath: string): HostPath => ({
	volume: {name, hostPath: {path: hostPath, type: 'DirectoryOrCreate'}},
	mount: {name, mountPath},
});
