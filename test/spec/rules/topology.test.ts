import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {addNode, type Draft, findingsOf, fires, nodeNamed, silent} from '../../helpers/spec.ts';

/** Keeps the first `count` control planes of an example and drops the others. */
const keepControlPlanes = (draft: Draft, count: number): void => {
	let kept = 0;
	draft.nodes = draft.nodes.filter((node) => !node.roles.includes('control-plane') || kept++ < count);
};

/** Adds control planes (load-balancer nodes too, as in three-control-planes) up to `count`. */
const growControlPlanes = (draft: Draft, count: number): void => {
	for (let index = 4; index <= count; index++) {
		addNode(draft, {name: `cp${index}`, address: `192.168.1.${90 + index}`, roles: ['control-plane', 'load-balancer']});
	}
};

describe('node-without-role', () => {
	it('fires on an empty role list', () => {
		const finding = fires('node-without-role', (draft) => {
			nodeNamed(draft, 'worker1').roles = [];
		});
		assert.equal(finding.path, 'nodes[3].roles');
	});

	it('stays silent with a role', () => {
		silent('node-without-role', (draft) => {
			nodeNamed(draft, 'worker1').roles = ['worker'];
		});
	});
});

describe('duplicate-role', () => {
	it('warns on a role listed twice and shows the list without it', () => {
		const finding = fires('duplicate-role', (draft) => {
			nodeNamed(draft, 'cp1').roles = ['control-plane', 'load-balancer', 'control-plane'];
		});
		assert.equal(finding.severity, 'warning');
		assert.match(finding.fix, /\[control-plane, load-balancer]/);
	});

	it('stays silent when each role is listed once', () => {
		silent('duplicate-role', (draft) => {
			nodeNamed(draft, 'cp1').roles = ['load-balancer', 'control-plane'];
		});
	});
});

describe('no-control-plane', () => {
	it('fires on an empty node list', () => {
		const finding = fires('no-control-plane', (draft) => {
			draft.nodes = [];
		});
		assert.match(finding.message, /nodes is empty/);
	});

	it('fires when no node is a control plane', () => {
		const finding = fires('no-control-plane', (draft) => {
			draft.nodes = draft.nodes.filter((node) => !node.roles.includes('control-plane'));
		});
		assert.match(finding.message, /none of the 2 nodes/);
	});

	it('stays silent with a single control plane', () => {
		silent('no-control-plane', (draft) => {
			keepControlPlanes(draft, 1);
		});
	});
});

describe('etcd-role-stacked', () => {
	it('fires on a node with the role etcd when etcd is stacked', () => {
		const finding = fires('etcd-role-stacked', (draft) => {
			nodeNamed(draft, 'worker1').roles = ['worker', 'etcd'];
		});
		assert.equal(finding.path, 'nodes[3].roles');
		assert.match(finding.fix, /etcd\.topology: external/);
	});

	it('stays silent with external etcd', () => {
		silent('etcd-role-stacked', undefined, 'external-etcd');
	});
});

describe('external-etcd-members', () => {
	it('fires when external etcd has no etcd nodes', () => {
		const finding = fires('external-etcd-members', (draft) => {
			draft.etcd.topology = 'external';
		});
		assert.equal(finding.path, 'etcd.topology');
	});

	it('stays silent when etcd nodes are listed', () => {
		silent('external-etcd-members', undefined, 'external-etcd');
	});
});

describe('etcd-member-count', () => {
	it('warns that 2 stacked control planes are worse than 1', () => {
		const finding = fires('etcd-member-count', (draft) => keepControlPlanes(draft, 2));
		assert.equal(finding.severity, 'warning');
		assert.match(finding.message, /2 etcd members need both for quorum and tolerate no failure/);
		assert.match(finding.message, /twice the risk of a single member/);
	});

	it('gives the quorum arithmetic for an even count', () => {
		const finding = fires('etcd-member-count', (draft) => growControlPlanes(draft, 4));
		assert.match(finding.message, /4 members need 3 for quorum and tolerate 1 failure, the same as 3/);
		assert.match(finding.fix, /3 or 5 control planes/);
	});

	it('warns about more than 7 members', () => {
		const finding = fires('etcd-member-count', (draft) => growControlPlanes(draft, 9));
		assert.match(finding.message, /at most 7 members/);
		assert.match(finding.fix, /etcd\.topology: external/);
	});

	it('gives both warnings for 8 members', () => {
		const found = findingsOf('etcd-member-count', (draft) => growControlPlanes(draft, 8));
		assert.equal(found.length, 2);
	});

	it('counts etcd nodes, not control planes, with external etcd', () => {
		const finding = fires(
			'etcd-member-count',
			(draft) => {
				addNode(draft, {name: 'etcd4', address: '10.20.0.34', roles: ['etcd']});
			},
			'external-etcd',
		);
		assert.match(finding.message, /4 etcd nodes/);
	});

	it('stays silent with 1, 3, 5 and 7 members', () => {
		silent('etcd-member-count', (draft) => keepControlPlanes(draft, 1));
		silent('etcd-member-count');
		silent('etcd-member-count', (draft) => growControlPlanes(draft, 5));
		silent('etcd-member-count', (draft) => growControlPlanes(draft, 7));
	});
});

describe('etcd-on-control-plane', () => {
	it('warns when external etcd shares a node with a control plane', () => {
		const finding = fires(
			'etcd-on-control-plane',
			(draft) => {
				nodeNamed(draft, 'cp1').roles = ['control-plane', 'etcd'];
			},
			'external-etcd',
		);
		assert.equal(finding.path, 'nodes[2].roles');
	});

	it('stays silent when etcd has nodes of its own', () => {
		silent('etcd-on-control-plane', undefined, 'external-etcd');
	});
});
