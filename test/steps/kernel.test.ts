import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {release, tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {describe, it} from 'node:test';
import {moduleInKernelCheck, modulesTask} from '../../steps/scripts/kernel.ts';

const bash = (script: string) => spawnSync('bash', ['-c', `set -euo pipefail\n${script}`], {encoding: 'utf8'});

/** A directory standing in for / with the given files (path → content; a path ending in / is a directory). */
function fakeRoot(files: Readonly<Record<string, string>>): string {
	const root = mkdtempSync(join(tmpdir(), 'kubeha-kernel-'));
	for (const [path, content] of Object.entries(files)) {
		if (path.endsWith('/')) {
			mkdirSync(join(root, path), {recursive: true});
		} else {
			mkdirSync(dirname(join(root, path)), {recursive: true});
			writeFileSync(join(root, path), content);
		}
	}

	return root;
}

/** modules.builtin of the running kernel (`uname -r`, which os.release() reads too). */
const builtinList = `/lib/modules/${release()}/modules.builtin`;
const present = (module: string, root: string) => bash(moduleInKernelCheck(module, root)).status === 0;

describe('kernel modules', () => {
	it('counts a loaded module, and a built-in one with parameters, by its /sys/module entry', () => {
		assert.ok(present('overlay', fakeRoot({'/sys/module/overlay/': ''})));
	});

	it("counts a built-in module that modules.builtin lists, by file name, '-' and '_' alike", () => {
		const root = fakeRoot({[builtinList]: 'kernel/net/bridge/br_netfilter.ko\nkernel/drivers/md/dm-crypt.ko\n'});
		assert.ok(present('br_netfilter', root));
		assert.ok(present('dm_crypt', root));
		assert.ok(!present('netfilter', root), 'a name that only ends another is not that module');
		assert.ok(!present('br_netfilter', fakeRoot({[builtinList]: 'kernel/net/bridge/br_netfilter_extra.ko\n'})));
	});

	it('counts a module whose feature is there when the kernel ships no modules.builtin', () => {
		assert.ok(present('br_netfilter', fakeRoot({'/proc/sys/net/bridge/bridge-nf-call-iptables': '1\n'})));
		assert.ok(!present('br_netfilter', fakeRoot({'/proc/sys/net/bridge/': ''})));
		assert.ok(present('overlay', fakeRoot({'/proc/filesystems': 'nodev\tproc\nnodev\toverlay\n'})));
		assert.ok(!present('overlay', fakeRoot({'/proc/filesystems': 'nodev\tproc\n'})));
	});

	it('misses a module the kernel has no sign of', () => {
		assert.ok(!present('br_netfilter', fakeRoot({})));
		assert.throws(() => moduleInKernelCheck('overlay', '/tmp/a b'), /not a plain path/);
	});

	it('loads only the modules the kernel does not have', () => {
		// Every Linux kernel has /sys/module/kernel (the core kernel's parameters).
		const task = modulesTask(['kernel', 'kubeha_no_such_module']);
		const result = bash(`modprobe() { echo "modprobe $*"; }\nif ! (${task.check}); then\n${task.act}\nfi`);
		assert.equal(result.stdout, 'modprobe kubeha_no_such_module\n', result.stderr);
		assert.match(task.act, /^if ! \{ \[ -d \/sys\/module\/kernel \] \|\| /);
	});
});
