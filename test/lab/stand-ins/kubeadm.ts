// TEST FIXTURE, never shipped: the lab's stand-in for kubeadm inside a lab host, where no kubelet, container runtime
// or control-plane image can run. It checks configuration strictly, runs kubeadm's preflight checks that mean
// something here, writes the files kubeadm writes, and starts a kube-apiserver stand-in (lib/kube-apiserver.ts) in
// place of the static pods. See README.md in this directory. Anything else fails loudly with exit status 1.
import {stringify} from 'yaml';
import {
	checkedDocuments,
	type Document,
	joinConfiguration,
	kubeadmGroup,
	readConfigDocuments,
	standInVersion,
} from './lib/kubeadm-config.ts';
import {type CommandLine, type FlagSpec, lastValue, listValue, parseCommandLine} from './lib/kubeadm-flags.ts';
import {init} from './lib/kubeadm-init.ts';
import {join} from './lib/kubeadm-join.ts';
import {KubeadmError, recordCall, runAsyncStandIn} from './lib/kubeadm-output.ts';
import {checkExpiration, renewAll} from './lib/kubeadm-renewal.ts';
import {reset} from './lib/kubeadm-reset.ts';
import {newCertificateKey, tokenCreate, tokenDelete, uploadCertsPhase} from './lib/kubeadm-token.ts';
import {upgradeApply} from './lib/kubeadm-upgrade.ts';
import {uploadConfigPhase} from './lib/kubeadm-upload-config.ts';
import {NotModelled} from './lib/not-modelled.ts';

type Command = {
	path: string[];
	flags: FlagSpec;
	/** The flags kubeadm accepts next to --config (validation.go isAllowedFlag); undefined: --config is not a flag here. */
	withConfig?: readonly string[];
	run: (line: CommandLine) => Promise<number>;
};

const verbosity = ['v'];

/** `kubeadm join <endpoint> --token … --discovery-token-ca-cert-hash …`: the same JoinConfiguration, from flags. */
function joinDocumentFromFlags(line: CommandLine): Document {
	const [endpoint] = line.positional;
	const token = lastValue(line, 'discovery-token') ?? lastValue(line, 'token');
	if (endpoint === undefined || token === undefined) {
		throw new KubeadmError(
			'discovery: Invalid value: "": bootstrapToken or file must be set (give an endpoint and --token, or --config)',
		);
	}
	const address = lastValue(line, 'apiserver-advertise-address');
	const port = lastValue(line, 'apiserver-bind-port');
	const name = lastValue(line, 'node-name');
	const criSocket = lastValue(line, 'cri-socket');
	const key = lastValue(line, 'certificate-key');
	const tlsToken = lastValue(line, 'tls-bootstrap-token');
	return {
		apiVersion: kubeadmGroup,
		kind: 'JoinConfiguration',
		nodeRegistration: {...(name === undefined ? {} : {name}), ...(criSocket === undefined ? {} : {criSocket})},
		discovery: {
			bootstrapToken: {
				token,
				apiServerEndpoint: endpoint,
				caCertHashes: line.values.get('discovery-token-ca-cert-hash') ?? [],
				unsafeSkipCAVerification: line.booleans.has('discovery-token-unsafe-skip-ca-verification'),
			},
			...(tlsToken === undefined ? {} : {tlsBootstrapToken: tlsToken}),
		},
		...(line.booleans.has('control-plane')
			? {
					controlPlane: {
						localAPIEndpoint: {
							...(address === undefined ? {} : {advertiseAddress: address}),
							...(port === undefined ? {} : {bindPort: Number(port)}),
						},
						...(key === undefined ? {} : {certificateKey: key}),
					},
				}
			: {}),
	};
}

async function runJoin(line: CommandLine): Promise<number> {
	const path = lastValue(line, 'config');
	const documents =
		path === undefined
			? checkedDocuments(stringify(joinDocumentFromFlags(line)), 'the command-line flags')
			: readConfigDocuments(path);
	const document = documents.get('JoinConfiguration');
	if (document === undefined) throw new KubeadmError(`no JoinConfiguration kind was found in the YAML file ${path}`);
	const config = joinConfiguration(document);
	const nodeName = lastValue(line, 'node-name');
	if (nodeName !== undefined) config.nodeRegistration.name = nodeName;
	return join(config, listValue(line, 'ignore-preflight-errors'));
}

const commands: readonly Command[] = [
	{
		path: ['init', 'phase', 'upload-certs'],
		flags: {booleans: ['upload-certs'], values: ['config', 'certificate-key', 'kubeconfig', ...verbosity]},
		withConfig: ['upload-certs', 'kubeconfig', ...verbosity],
		run: (line) => {
			const certificateKey = lastValue(line, 'certificate-key');
			const kubeconfig = lastValue(line, 'kubeconfig');
			const configPath = lastValue(line, 'config');
			return uploadCertsPhase({
				uploadCerts: line.booleans.has('upload-certs'),
				...(kubeconfig === undefined ? {} : {kubeconfig}),
				...(configPath === undefined ? {} : {configPath}),
				...(certificateKey === undefined ? {} : {certificateKey}),
			});
		},
	},
	{
		path: ['init', 'phase', 'upload-config', 'kubeadm'],
		flags: {values: ['config', 'kubeconfig', ...verbosity]},
		withConfig: ['kubeconfig', ...verbosity],
		run: (line) => {
			const configPath = lastValue(line, 'config');
			const kubeconfig = lastValue(line, 'kubeconfig');
			return uploadConfigPhase({
				...(configPath === undefined ? {} : {configPath}),
				...(kubeconfig === undefined ? {} : {kubeconfig}),
			});
		},
	},
	{
		path: ['init'],
		flags: {booleans: ['upload-certs'], values: ['config', 'ignore-preflight-errors', 'skip-phases', ...verbosity]},
		withConfig: ['upload-certs', 'ignore-preflight-errors', 'skip-phases', ...verbosity],
		run: (line) => {
			const configPath = lastValue(line, 'config');
			return init({
				...(configPath === undefined ? {} : {configPath}),
				uploadCerts: line.booleans.has('upload-certs'),
				skipPhases: listValue(line, 'skip-phases'),
				ignorePreflightErrors: listValue(line, 'ignore-preflight-errors'),
			});
		},
	},
	{
		path: ['join'],
		flags: {
			booleans: ['control-plane', 'discovery-token-unsafe-skip-ca-verification'],
			values: [
				'config',
				'token',
				'discovery-token',
				'tls-bootstrap-token',
				'discovery-token-ca-cert-hash',
				'certificate-key',
				'apiserver-advertise-address',
				'apiserver-bind-port',
				'node-name',
				'cri-socket',
				'ignore-preflight-errors',
				...verbosity,
			],
		},
		withConfig: ['ignore-preflight-errors', 'node-name', ...verbosity],
		run: runJoin,
	},
	{
		path: ['token', 'create'],
		flags: {
			booleans: ['print-join-command'],
			values: ['config', 'ttl', 'certificate-key', 'description', 'usages', 'groups', 'kubeconfig', ...verbosity],
		},
		withConfig: ['print-join-command', 'kubeconfig', ...verbosity],
		run: (line) => {
			const [token] = line.positional;
			const optional = (name: string, key: string) => {
				const value = lastValue(line, name);
				return value === undefined ? {} : {[key]: value};
			};
			return tokenCreate({
				...(token === undefined ? {} : {token}),
				...optional('kubeconfig', 'kubeconfig'),
				...optional('config', 'configPath'),
				...optional('ttl', 'ttl'),
				...optional('description', 'description'),
				...optional('certificate-key', 'certificateKey'),
				...(line.values.has('usages') ? {usages: listValue(line, 'usages')} : {}),
				...(line.values.has('groups') ? {groups: listValue(line, 'groups')} : {}),
				printJoinCommand: line.booleans.has('print-join-command'),
			});
		},
	},
	{
		path: ['token', 'delete'],
		flags: {values: ['kubeconfig', ...verbosity]},
		run: (line) => tokenDelete(line.positional, lastValue(line, 'kubeconfig')),
	},
	{
		path: ['certs', 'certificate-key'],
		flags: {values: verbosity},
		run: async () => {
			process.stdout.write(`${newCertificateKey()}\n`);
			return 0;
		},
	},
	{
		path: ['certs', 'check-expiration'],
		flags: {values: verbosity},
		run: checkExpiration,
	},
	{
		path: ['certs', 'renew', 'all'],
		flags: {values: verbosity},
		run: renewAll,
	},
	{
		path: ['upgrade', 'apply'],
		flags: {booleans: ['yes'], values: verbosity, short: {y: 'yes'}},
		run: (line) => upgradeApply(line.positional[0]),
	},
	{
		path: ['reset'],
		flags: {booleans: ['force'], values: verbosity, short: {f: 'force'}},
		run: (line) => reset(line.booleans.has('force')),
	},
	{
		path: ['version'],
		flags: {values: ['output'], short: {o: 'output'}},
		run: async (line) => {
			const output = lastValue(line, 'output');
			if (output !== 'short') throw new NotModelled(`version -o ${output ?? '(default)'} (modelled: -o short)`);
			process.stdout.write(`${standInVersion}\n`);
			return 0;
		},
	},
	{
		path: ['config', 'validate'],
		flags: {values: ['config', ...verbosity]},
		run: async (line) => {
			const path = lastValue(line, 'config');
			if (path === undefined) throw new KubeadmError('the --config flag is mandatory');
			readConfigDocuments(path);
			process.stdout.write('ok\n');
			return 0;
		},
	},
];

/** How many arguments a command takes (join: an endpoint; token create: a token; token delete: any number). */
const positionalArguments: Readonly<Record<string, number>> = {
	join: Number.POSITIVE_INFINITY,
	'token create': 1,
	'token delete': Number.POSITIVE_INFINITY,
	'upgrade apply': 1,
};

runAsyncStandIn('kubeadm', async () => {
	const argv = process.argv.slice(2);
	recordCall('kubeadm', argv);
	const command = commands.find(({path}) => path.every((word, index) => argv[index] === word));
	if (command === undefined) {
		const modelled = commands.map(({path}) => path.join(' ')).join(', ');
		throw new NotModelled(`command "kubeadm ${argv.join(' ')}" (modelled: ${modelled})`);
	}
	const line = parseCommandLine(argv.slice(command.path.length), command.flags);
	if (command.withConfig !== undefined && line.given.has('config')) {
		const mixed = [...line.given].filter((name) => name !== 'config' && !command.withConfig?.includes(name));
		if (mixed.length > 0) throw new KubeadmError(`can not mix '--config' with arguments [${mixed.sort().join(' ')}]`);
	}
	if (line.positional.length > (positionalArguments[command.path.join(' ')] ?? 0)) {
		throw new NotModelled(`arguments ${line.positional.join(' ')} to kubeadm ${command.path.join(' ')}`);
	}
	return command.run(line);
});
