// The lab's kubeadm and kube-apiserver stand-ins on three hosts, driven over real ssh with the files kubeha renders
// for a three-control-plane cluster (keepalived + haproxy on every control plane, stacked etcd).
import assert from 'node:assert/strict';
import {X509Certificate} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {connect} from 'node:tls';
import {parse, stringify} from 'yaml';
import {renderCluster} from '../../source/render/index.ts';
import {generateSecrets} from '../../source/secrets/generate.ts';
import type {Secrets} from '../../source/secrets/types.ts';
import {loadSpec} from '../../source/spec/load.ts';
import {templates} from '../helpers/templates.ts';
import {type ExecResult, type Lab, type LabHost, labAvailable, startLab} from './lab.ts';
import {apiserverPidFile} from './stand-ins/lib/kube-apiserver-process.ts';
import {kubeJson, kubeRequest, type Target} from './stand-ins/lib/kube-client.ts';
import {clockOffsetFile} from './stand-ins/lib/kube-clock.ts';
import {isReady, type KubeObject} from './stand-ins/lib/kube-objects.ts';
import {connectionFromKubeconfig} from './stand-ins/lib/kubeconfig.ts';

const availability = labAvailable({commands: ['keepalived', 'haproxy', 'curl']});

/** The parts of a JoinConfiguration the variants change. */
type JoinDocument = {discovery: {bootstrapToken: Record<string, unknown>}; controlPlane?: Record<string, unknown>};

const initPath = '/etc/kubeha/kubeadm-init.yaml';
const joinPath = '/etc/kubeha/kubeadm-join.yaml';
const lbPort = 8443;

function labSpecText(lab: Lab): string {
	const nodes = lab.hosts
		.map((host) => `  - name: ${host.name}\n    address: ${host.address}\n    roles: [control-plane, load-balancer]\n`)
		.join('');
	return `apiVersion: kubeha/v1alpha1
kind: Cluster
name: lab
kubernetes:
  version: 1.37.1
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12
  cni: calico
etcd:
  topology: stacked
loadBalancer:
  mode: keepalived-haproxy
  deploy: systemd
  vip: ${lab.address(100)}/24
  port: ${lbPort}
  interface: ${lab.hosts[0]?.interface}
nodes:
${nodes}`;
}

function succeeded(result: ExecResult): string {
	assert.equal(result.code, 0, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
	return result.stdout;
}

/** A refusal: exit status 1 and the message on stderr. */
function refused(result: ExecResult, message: RegExp): void {
	assert.equal(result.code, 1, `expected a refusal\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
	assert.match(result.stderr, message);
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await delay(100);
	}
}

describe('the kubeadm and kube-apiserver stand-ins', {
	skip: availability.ok ? false : availability.reason,
	timeout: 110_000,
}, () => {
	let lab: Lab;
	let h1: LabHost;
	let h2: LabHost;
	let h3: LabHost;
	let secrets: Secrets;
	let vip: string;
	/** h3's join file as kubeha rendered it, parsed, for variants. */
	let h3Join: JoinDocument;

	const ssh = (host: LabHost, command: string) => lab.ssh(host, command, {timeoutMs: 40_000});
	const join = (host: LabHost, path = joinPath) => ssh(host, `kubeadm join --config ${path}`);

	/** A variant of h3's join file, written on h3. */
	async function writeJoinVariant(path: string, change: (document: JoinDocument) => void): Promise<void> {
		const document = structuredClone(h3Join);
		change(document);
		await lab.writeFile(h3, path, stringify(document), 0o600);
	}

	async function admin(): Promise<Target> {
		const text = succeeded(await lab.exec(h1, 'cat /etc/kubernetes/admin.conf'));
		return connectionFromKubeconfig(text, `${h1.name}:/etc/kubernetes/admin.conf`);
	}

	async function health(server: string): Promise<string> {
		const response = await kubeRequest({server, ca: secrets.clusterCa.cert}, 'GET', '/healthz');
		return `${response.status} ${response.body}`;
	}

	/** The nodes, through the VIP (admin.conf's server) or from one apiserver. */
	async function nodes(server?: string): Promise<KubeObject[]> {
		const target = {...(await admin()), ...(server === undefined ? {} : {server})};
		return (await kubeJson<{items: KubeObject[]}>(target, 'GET', '/api/v1/nodes')).items;
	}

	/** The SHA-256 fingerprint of the certificate an apiserver serves. */
	function servedFingerprint(host: LabHost): Promise<string> {
		return new Promise((resolve, reject) => {
			const socket = connect({host: host.address, port: 6443, rejectUnauthorized: false}, () => {
				resolve(socket.getPeerCertificate().fingerprint256);
				socket.end();
			});
			socket.on('error', reject);
		});
	}

	async function fileFingerprint(host: LabHost, path: string): Promise<string> {
		return new X509Certificate(succeeded(await lab.exec(host, `cat ${path}`))).fingerprint256;
	}

	/** Nothing of a join stays on a host whose join was refused. */
	async function assertNothingJoined(host: LabHost): Promise<void> {
		const leftovers = await lab.exec(
			host,
			`ls /etc/kubernetes/admin.conf /etc/kubernetes/kubelet.conf ${apiserverPidFile}`,
		);
		assert.equal(leftovers.stdout, '', `${host.name} kept files of a refused join`);
	}

	before(async () => {
		lab = await startLab({hosts: 3});
		[h1, h2, h3] = lab.hosts as [LabHost, LabHost, LabHost];
		vip = lab.address(100);
		const {spec, findings} = loadSpec(labSpecText(lab));
		assert.ok(spec, JSON.stringify(findings));
		secrets = await generateSecrets(spec);
		for (const {node, files} of renderCluster(spec, secrets, templates)) {
			for (const file of files) await lab.writeFile(node, file.path, file.content, file.mode);
		}
		h3Join = parse(succeeded(await lab.exec(h3, `cat ${joinPath}`))) as JoinDocument;
		// What a server has after kubeha's prerequisites and a boot: forwarding on (per network namespace, so per
		// host), and haproxy's runtime directory (systemd-tmpfiles makes it at boot; the lab runs no tmpfiles).
		for (const host of lab.hosts) {
			succeeded(
				await ssh(
					host,
					'sysctl -qw net.ipv4.ip_forward=1 && mkdir -p /run/haproxy && systemctl start haproxy keepalived',
				),
			);
		}
		await waitUntil(`the VIP ${vip} on a host`, async () => {
			const held = await Promise.all(lab.hosts.map((host) => lab.exec(host, `ip -4 -o address show to ${vip}`)));
			return held.some((result) => result.stdout.includes(vip));
		});
	});
	after(async () => {
		await lab?.stop();
	});

	test('kubeadm init refuses a host without IPv4 forwarding, like kubeadm preflight', async () => {
		const result = await ssh(
			h1,
			`sysctl -qw net.ipv4.ip_forward=0 && kubeadm init --config ${initPath} --upload-certs`,
		);
		succeeded(await ssh(h1, 'sysctl -qw net.ipv4.ip_forward=1'));
		refused(
			result,
			/\t\[ERROR FileContent--proc-sys-net-ipv4-ip_forward\]: \/proc\/sys\/net\/ipv4\/ip_forward contents are not set to 1\n[\s\S]*error execution phase preflight: preflight checks failed/,
		);
		assert.equal((await lab.exec(h1, 'ls /etc/kubernetes/admin.conf')).code, 2, 'a refused init writes nothing');
	});

	test('kubeadm init serves the API on the first control plane and prints the join commands', async () => {
		const output = succeeded(await ssh(h1, `kubeadm init --config ${initPath} --upload-certs`));
		assert.match(
			output,
			new RegExp(
				`kubeadm join ${vip}:${lbPort} --token ${secrets.bootstrapToken} \\\\\n\t--discovery-token-ca-cert-hash sha256:[0-9a-f]{64} \\\\\n\t--control-plane --certificate-key ${secrets.certificateKey}\n`,
			),
		);
		assert.equal(await health(`https://${h1.address}:6443`), '200 ok');
		const files = succeeded(
			await lab.exec(
				h1,
				'cd /etc/kubernetes && ls admin.conf super-admin.conf kubelet.conf pki/apiserver.crt pki/sa.key pki/front-proxy-ca.crt pki/etcd/ca.key manifests/kube-apiserver.yaml && ls /var/lib/kubelet/config.yaml',
			),
		);
		assert.equal(files.split('\n').filter(Boolean).length, 9);
		// kubeadm used the CA kubeha rendered, so the join files' pin matches.
		assert.equal(succeeded(await lab.exec(h1, 'cat /etc/kubernetes/pki/ca.crt')), secrets.clusterCa.cert);
		// A second init finds the port taken and kubeadm's manifests in place.
		const again = await ssh(h1, `kubeadm init --config ${initPath}`);
		refused(again, /\t\[ERROR Port-6443\]: Port 6443 is in use\n/);
		refused(
			again,
			/\[ERROR FileAvailable--etc-kubernetes-manifests-kube-apiserver\.yaml\]: \/etc\/kubernetes\/manifests\/kube-apiserver\.yaml already exists/,
		);
	});

	test('kubectl answers the checks kubeha runs against one control plane (--server, --request-timeout)', async () => {
		const kubectl = `kubectl --kubeconfig /etc/kubernetes/admin.conf --server https://${h1.address}:6443 --request-timeout 10s`;
		assert.equal(
			succeeded(await ssh(h1, `${kubectl} -n kube-system get configmap kubeadm-config -o name`)),
			'configmap/kubeadm-config\n',
		);
		assert.equal(succeeded(await ssh(h1, `${kubectl} get nodes -o 'jsonpath={.items[*].metadata.name}'`)), h1.name);
		assert.equal(
			succeeded(await ssh(h1, `${kubectl} wait --for=condition=Ready node --all --timeout=20s`)),
			`node/${h1.name} condition met\n`,
		);
		assert.match(
			succeeded(await ssh(h1, `${kubectl} get nodes -o wide`)),
			new RegExp(
				`^NAME .*INTERNAL-IP.*\n${h1.name} +Ready +control-plane +\\S+ +v1\\.37\\.1 +${h1.address.replaceAll('.', '\\.')} `,
			),
		);
		assert.equal(succeeded(await ssh(h1, `${kubectl} get --raw /readyz/etcd`)), 'ok');
		await lab.writeFile(
			h1,
			'/root/cni.yaml',
			'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: cni, namespace: kube-system}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cni-config, namespace: kube-system}\n',
			0o644,
		);
		assert.equal(
			succeeded(await ssh(h1, `${kubectl} apply --server-side -f /root/cni.yaml`)),
			'daemonset.apps/cni serverside-applied\nconfigmap/cni-config serverside-applied\n',
		);
		assert.match(succeeded(await lab.exec(h1, 'cat /run/lab-kube/applied.yaml')), /kind: DaemonSet/);
		assert.match(succeeded(await ssh(h1, 'kubectl version --client')), /^Client Version: v1\.37\.1\n/);
		assert.equal(succeeded(await ssh(h1, 'kubelet --version')), 'Kubernetes v1.37.1\n');
		// kubeha's facts name a port's owner from `ss -p`: the stand-in shows as kube-apiserver, not node.
		assert.match(
			succeeded(await lab.exec(h1, 'ss -Htlnp')),
			new RegExp(`${h1.address.replaceAll('.', '\\.')}:6443 .*users:\\(\\("kube-apiserver",`),
		);
		refused(await ssh(h1, `${kubectl} get configmap nothing -n kube-system -o name`), /Error from server \(NotFound\)/);
	});

	test('kubeadm token create and init phase upload-certs take the token and key from the InitConfiguration', async () => {
		// kubeadm's CreateNewTokens: the token that init created is refused, as real kubeadm refuses it.
		refused(
			await ssh(h1, `kubeadm token create --config ${initPath}`),
			new RegExp(`a token with id "${secrets.bootstrapToken.split('.')[0]}" already exists`),
		);
		refused(
			await ssh(h1, `kubeadm token create --config ${initPath} --ttl 1h`),
			/can not mix '--config' with arguments \[ttl\]/,
		);
		const uploaded = succeeded(await ssh(h1, `kubeadm init phase upload-certs --upload-certs --config ${initPath}`));
		assert.match(uploaded, new RegExp(`\\[upload-certs\\] Using certificate key:\n${secrets.certificateKey}\n$`));
		// Once the token is gone (deleted, or expired and cleaned up), the same command creates it again.
		const id = secrets.bootstrapToken.split('.')[0];
		assert.equal(succeeded(await ssh(h1, `kubeadm token delete ${id}`)), `bootstrap token "${id}" deleted\n`);
		refused(
			await ssh(h1, `kubeadm token delete ${id}`),
			new RegExp(`failed to delete bootstrap token "${id}": secrets "bootstrap-token-${id}" not found`),
		);
		assert.equal(succeeded(await ssh(h1, `kubeadm token create --config ${initPath}`)), `${secrets.bootstrapToken}\n`);
	});

	test('a join is refused for an unknown field, a wrong CA pin, a wrong certificate key, or a worker with a ca.crt', async () => {
		await writeJoinVariant('/root/unknown-field.yaml', (document) => {
			document.discovery.bootstrapToken['caCertHash'] = 'sha256:0';
		});
		refused(
			await join(h3, '/root/unknown-field.yaml'),
			/JoinConfiguration discovery\.bootstrapToken\.caCertHash: unknown field/,
		);

		await writeJoinVariant('/root/wrong-pin.yaml', (document) => {
			document.discovery.bootstrapToken['caCertHashes'] = [`sha256:${'0'.repeat(64)}`];
		});
		refused(
			await join(h3, '/root/wrong-pin.yaml'),
			/error execution phase preflight: couldn't validate the identity of the API Server: cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "sha256:[0-9a-f]{64}" are pinned/,
		);

		await writeJoinVariant('/root/wrong-key.yaml', (document) => {
			document.controlPlane = {...document.controlPlane, certificateKey: 'ab'.repeat(32)};
		});
		refused(
			await join(h3, '/root/wrong-key.yaml'),
			/error execution phase control-plane-prepare\/download-certs: error downloading certs: error decoding secret data with provided key: cipher: message authentication failed/,
		);

		await writeJoinVariant('/root/worker.yaml', (document) => {
			delete document.controlPlane;
		});
		await lab.writeFile(h3, '/etc/kubernetes/pki/ca.crt', secrets.clusterCa.cert);
		refused(
			await join(h3, '/root/worker.yaml'),
			/\t\[ERROR FileAvailable--etc-kubernetes-pki-ca\.crt\]: \/etc\/kubernetes\/pki\/ca\.crt already exists\n/,
		);
		succeeded(await lab.exec(h3, 'rm /etc/kubernetes/pki/ca.crt'));
		await assertNothingJoined(h3);
	});

	test('kubeadm join through the VIP makes the second host a control plane', async () => {
		assert.match(
			succeeded(await join(h2)),
			/This node has joined the cluster and a new control plane instance was created/,
		);
		assert.equal(await health(`https://${h2.address}:6443`), '200 ok');
	});

	test('an expired certificate key is refused; init phase upload-certs makes a fresh one that works', async () => {
		// Two hours and five minutes later on every host: the kubeadm-certs Secret (2 h) is gone, the join token (24 h) is not.
		for (const host of lab.hosts) await lab.writeFile(host, clockOffsetFile, '7500\n');
		refused(
			await join(h3),
			/error execution phase control-plane-prepare\/download-certs: error downloading certs: error downloading the secret: Secret "kubeadm-certs" was not found in the "kube-system" Namespace\. This Secret might have expired\./,
		);
		await assertNothingJoined(h3);

		const uploaded = succeeded(await ssh(h2, 'kubeadm init phase upload-certs --upload-certs'));
		const key = /\[upload-certs\] Using certificate key:\n([0-9a-f]{64})\n$/.exec(uploaded)?.[1];
		assert.ok(key, uploaded);
		assert.notEqual(key, secrets.certificateKey);
		await writeJoinVariant('/root/fresh-key.yaml', (document) => {
			document.controlPlane = {...document.controlPlane, certificateKey: key};
		});
		assert.match(succeeded(await join(h3, '/root/fresh-key.yaml')), /a new control plane instance was created/);
	});

	test('every apiserver answers on its address and through the VIP, and the API lists three Ready nodes', async () => {
		for (const host of lab.hosts) assert.equal(await health(`https://${host.address}:6443`), '200 ok');
		assert.equal(await health(`https://${vip}:${lbPort}`), '200 ok');
		const listed = await nodes();
		assert.deepEqual(
			listed.map((node) => node.metadata.name),
			[h1.name, h2.name, h3.name],
		);
		assert.ok(listed.every(isReady));
		for (const name of ['kube-controller-manager', 'kube-scheduler']) {
			const lease = await kubeJson<KubeObject>(
				await admin(),
				'GET',
				`/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${name}`,
			);
			const holder = (lease['spec'] as {holderIdentity: string}).holderIdentity;
			assert.match(holder, new RegExp(`^(${h1.name}|${h2.name}|${h3.name})_`));
		}
		const table = succeeded(await ssh(h3, 'kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes'));
		assert.match(table, /^NAME +STATUS +ROLES +AGE +VERSION\nlab-h1 +Ready +control-plane +\S+ +v1\.37\.1\n/);
	});

	test('the cluster state survives the first control plane dying', async () => {
		succeeded(await lab.exec(h1, `kill -KILL "$(cat ${apiserverPidFile})"`));
		// While it dies, connections it had accepted are reset, as a real apiserver's are; once it is gone, haproxy
		// sends every request to the others.
		await waitUntil(`the apiserver on ${h1.name} to be gone`, () =>
			health(`https://${h1.address}:6443`).then(
				() => false,
				() => true,
			),
		);
		assert.equal((await nodes()).length, 3);
		// Every surviving replica holds the whole state, not only the one the load balancer picked.
		for (const host of [h2, h3]) assert.equal((await nodes(`https://${host.address}:6443`)).length, 3, host.name);
		const command = succeeded(await ssh(h2, 'kubeadm token create --print-join-command'));
		assert.match(
			command,
			new RegExp(
				`^kubeadm join ${vip}:${lbPort} --token [a-z0-9]{6}\\.[a-z0-9]{16} --discovery-token-ca-cert-hash sha256:[0-9a-f]{64}\n$`,
			),
		);
	});

	test('kubeadm reset -f stops the control plane on the node and leaves its Node NotReady until it is deleted', async () => {
		const output = succeeded(await ssh(h3, 'kubeadm reset -f'));
		assert.match(
			output,
			/\[reset\] Deleting contents of directories: \[\/etc\/kubernetes\/manifests \/var\/lib\/kubelet \/etc\/kubernetes\/pki\]/,
		);
		await assertNothingJoined(h3);
		assert.equal(
			succeeded(await lab.exec(h3, 'ls /etc/kubernetes/pki /etc/kubernetes/manifests')).trim(),
			'/etc/kubernetes/manifests:\n\n/etc/kubernetes/pki:',
		);
		const h3Node = (await nodes()).find((node) => node.metadata.name === h3.name);
		assert.ok(h3Node && !isReady(h3Node), 'lab-h3 is listed and not Ready after its reset');
		succeeded(await ssh(h2, `kubectl --kubeconfig /etc/kubernetes/admin.conf delete node ${h3.name}`));
		assert.deepEqual(
			(await nodes()).map((node) => node.metadata.name),
			[h1.name, h2.name],
		);
	});

	test('a worker joins with the printed join command and registers through the TLS bootstrap', async () => {
		const command = succeeded(await ssh(h2, 'kubeadm token create --print-join-command')).trim();
		assert.match(succeeded(await ssh(h3, command)), /This node has joined the cluster:/);
		const worker = (await nodes()).find((node) => node.metadata.name === h3.name);
		assert.ok(worker && isReady(worker));
		assert.equal(worker.metadata.labels?.['node-role.kubernetes.io/control-plane'], undefined);
		assert.equal(succeeded(await lab.exec(h3, 'ls /etc/kubernetes')).trim(), 'kubelet.conf\nmanifests\npki');
	});

	test('kubeadm certs check-expiration and renew all count by the host clock; the apiserver serves its old certificate until its pod restarts', async () => {
		// Last: h2's clock moves 360 days ahead, which no later step of this scenario could live with.
		await lab.writeFile(h2, clockOffsetFile, `${360 * 24 * 3600}\n`);
		const before = succeeded(await ssh(h2, 'kubeadm certs check-expiration'));
		assert.match(
			before,
			/^\[check-expiration\] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"\.\.\.\n\[check-expiration\] Use 'kubeadm init phase upload-config --config your-config-file' to re-upload it\.\n\nCERTIFICATE +EXPIRES +RESIDUAL TIME +CERTIFICATE AUTHORITY +EXTERNALLY MANAGED\nadmin\.conf +[A-Z][a-z]{2} \d\d, \d{4} \d\d:\d\d UTC +4d +ca +no {6}\n/,
		);
		// A joining control plane gets no super-admin.conf (only init writes one); a stacked etcd's certificates are there.
		assert.match(before, /\n!MISSING! super-admin\.conf +\n/);
		assert.match(before, /\netcd-peer +.* UTC +4d +etcd-ca +no {6}\n/);
		assert.match(
			before,
			/\n\nCERTIFICATE AUTHORITY +EXPIRES +RESIDUAL TIME +EXTERNALLY MANAGED\nca +.* UTC +\d+y +no {6}\netcd-ca +.*\nfront-proxy-ca +.*\n$/,
		);
		const servedBefore = await servedFingerprint(h2);
		assert.equal(servedBefore, await fileFingerprint(h2, '/etc/kubernetes/pki/apiserver.crt'));

		const renewed = succeeded(await ssh(h2, 'kubeadm certs renew all'));
		assert.match(
			renewed,
			/\n\ncertificate embedded in the kubeconfig file for the admin to use and for kubeadm itself renewed\ncertificate for serving the Kubernetes API renewed\ncertificate the apiserver uses to access etcd renewed\ncertificate for the API server to connect to kubelet renewed\ncertificate embedded in the kubeconfig file for the controller manager to use renewed\ncertificate for liveness probes to healthcheck etcd renewed\ncertificate for etcd nodes to communicate with each other renewed\ncertificate for serving etcd renewed\ncertificate for the front proxy client renewed\ncertificate embedded in the kubeconfig file for the scheduler manager to use renewed\nMISSING! certificate embedded in the kubeconfig file for the super-admin\n\nDone renewing certificates\. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates\.\n$/,
		);
		const after = succeeded(await ssh(h2, 'kubeadm certs check-expiration'));
		assert.match(after, /\nadmin\.conf +.* UTC +364d +ca +no/);
		assert.match(after, /\napiserver +.* UTC +364d +ca +no/);
		// The renewed admin.conf is a working credential of the same user.
		assert.match(
			succeeded(await ssh(h2, 'kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o name')),
			/node\/lab-h2/,
		);

		// Nothing reloads: the running apiserver serves the old certificate until the kubelet restarts its pod.
		const renewedFile = await fileFingerprint(h2, '/etc/kubernetes/pki/apiserver.crt');
		assert.notEqual(renewedFile, servedBefore);
		assert.equal(await servedFingerprint(h2), servedBefore);
		succeeded(await lab.exec(h2, 'mv /etc/kubernetes/manifests/kube-apiserver.yaml /root/'));
		await waitUntil(`the apiserver on ${h2.name} to stop`, () =>
			servedFingerprint(h2).then(
				() => false,
				() => true,
			),
		);
		succeeded(await lab.exec(h2, 'mv /root/kube-apiserver.yaml /etc/kubernetes/manifests/'));
		await waitUntil(`the apiserver on ${h2.name} to serve again`, () =>
			servedFingerprint(h2).then(
				(served) => served === renewedFile,
				() => false,
			),
		);
	});

	test('kubeadm upgrade apply refuses what its version policy refuses: a skipped minor, a minor newer than kubeadm', async () => {
		const result = await ssh(h2, 'kubeadm upgrade apply v1.39.0 --yes');
		refused(
			result,
			/the --version argument is invalid due to these fatal errors:\n\n\t- Specified version to upgrade to "v1\.39\.0" is too high; kubeadm can upgrade only 1 minor version at a time\n\t- Specified version to upgrade to "v1\.39\.0" is at least one minor release higher than the kubeadm minor release \(39 > 37\)\. Such an upgrade is not supported\n\nPlease fix the misalignments highlighted above and try upgrading again\n/,
		);
		assert.match(
			result.stdout,
			/\[upgrade\/versions\] Cluster version: v?1\.37\.1\n\[upgrade\/versions\] kubeadm version: v1\.37\.1\n/,
		);
		refused(
			await ssh(h2, 'kubeadm upgrade apply v1.35.0 --yes'),
			/Specified version to downgrade to "v1\.35\.0" is too low; kubeadm can downgrade only 1 minor version at a time/,
		);
	});
});
