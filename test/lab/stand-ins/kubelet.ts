// TEST FIXTURE, never shipped: the lab's stand-in for the kubelet inside a lab host, where no container runtime can
// run pods. It answers `kubelet --version` (with the version the kubeadm stand-in claims), so that installing and
// checking the kubelet package works; running as the node agent is not modelled and fails loudly with exit status 1.
import {standInVersion} from './lib/kubeadm-config.ts';
import {NotModelled, runStandIn} from './lib/not-modelled.ts';

runStandIn('kubelet', () => {
	const argv = process.argv.slice(2);
	if (argv.length !== 1 || argv[0] !== '--version')
		throw new NotModelled(`kubelet ${argv.join(' ')} (modelled: --version; no kubelet runs in the lab)`);
	process.stdout.write(`Kubernetes ${standInVersion}\n`);
	return 0;
});
