// Test fixture: `test/lab/lab.sh up [N]` starts a lab that stays up after the command; `lab.sh down` deletes it
// (and any leftovers of crashed runs). Labs of running test processes are left alone.
import {startLab} from './lab.ts';
import {cleanIdleSlots} from './slots.ts';

const usage = 'usage: test/lab/lab.sh up [HOSTS] | down';

async function up(count: number): Promise<void> {
	const lab = await startLab({hosts: count, persistent: true});
	const lines = [
		`lab slot ${lab.slot} is up: network ${lab.network}, this machine is ${lab.gateway}`,
		...lab.hosts.map((host) => `  ${host.name}  ${host.address}  (ip netns exec ${host.namespace} …)`),
		`ssh: ssh -F ${lab.sshConfigFile} ${lab.hosts[0]?.name ?? ''}`,
		`  or: ssh ${lab.sshOptions.join(' ')} root@${lab.hosts[0]?.address ?? ''}`,
		`files: ${lab.directory}`,
		'delete it with: test/lab/lab.sh down',
	];
	process.stdout.write(`${lines.join('\n')}\n`);
}

async function down(): Promise<void> {
	const cleaned = await cleanIdleSlots();
	process.stdout.write(cleaned.length > 0 ? `deleted lab slot(s) ${cleaned.join(', ')}\n` : 'no lab to delete\n');
}

const [verb, count = '3', ...rest] = process.argv.slice(2);
if (verb === 'up' && rest.length === 0 && /^\d+$/.test(count)) await up(Number(count));
else if (verb === 'down' && process.argv.length === 3) await down();
else {
	process.stderr.write(`${usage}\n`);
	process.exitCode = 2;
}
