// TEST FIXTURE, never shipped: the lab's stand-in for modprobe. Lab hosts share the machine's kernel and must not load
// modules into it (the test machine may not even ship kmod), so `modprobe NAME…` only answers whether the kernel
// already has each module kubeha asks for, loaded or built in; anything else fails loudly with exit status 1.
import {existsSync} from 'node:fs';
import {NotModelled, runStandIn} from './lib/not-modelled.ts';

/** What shows that a module kubeha loads is in the kernel: a built-in module without parameters has no /sys/module entry. */
const presentWhen: Readonly<Record<string, readonly string[]>> = {
	overlay: ['/sys/module/overlay'],
	br_netfilter: ['/sys/module/br_netfilter', '/proc/sys/net/bridge'],
};

runStandIn('modprobe', () => {
	const modules = process.argv.slice(2);
	if (modules.length === 0 || modules.some((name) => name.startsWith('-')))
		throw new NotModelled(`modprobe ${modules.join(' ')} (modelled: modprobe MODULE…, no options)`);
	for (const module of modules) {
		const evidence = presentWhen[module];
		if (!evidence)
			throw new NotModelled(`modprobe ${module} (modelled modules: ${Object.keys(presentWhen).join(', ')})`);
		if (!evidence.some((path) => existsSync(path)))
			throw new Error(`the machine's kernel has no ${module} (none of ${evidence.join(', ')}); the lab cannot load it`);
	}
	return 0;
});
