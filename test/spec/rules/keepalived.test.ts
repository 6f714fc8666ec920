import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {findingsOf, fires, nodeNamed, silent} from '../../helpers/spec.ts';

describe('virtual-router-id', () => {
	it('fires outside 1-255', () => {
		for (const id of [0, 256]) {
			const finding = fires('virtual-router-id', (draft) => {
				draft.loadBalancer.virtualRouterId = id;
			});
			assert.equal(finding.path, 'loadBalancer.virtualRouterId');
		}
	});

	it('accepts 1 and 255', () => {
		for (const id of [1, 255]) {
			silent('virtual-router-id', (draft) => {
				draft.loadBalancer.virtualRouterId = id;
			});
		}
	});
});

describe('virtual-router-id-common', () => {
	it('warns on 51, the id everyone ships', () => {
		const finding = fires('virtual-router-id-common', (draft) => {
			draft.loadBalancer.virtualRouterId = 51;
		});
		assert.equal(finding.severity, 'warning');
	});

	it('stays silent on another id and on the derived default', () => {
		silent('virtual-router-id-common', (draft) => {
			draft.loadBalancer.virtualRouterId = 52;
		});
		silent('virtual-router-id-common');
	});

	it('leaves 51 to ignored-field when keepalived does not run', () => {
		silent(
			'virtual-router-id-common',
			(draft) => {
				draft.loadBalancer.virtualRouterId = 51;
			},
			'kube-vip',
		);
	});
});

describe('priority-range', () => {
	it('explains that 255 belongs to the address owner', () => {
		const finding = fires('priority-range', (draft) => {
			nodeNamed(draft, 'cp1').priority = 255;
		});
		assert.equal(finding.path, 'nodes[0].priority');
		assert.match(finding.message, /255 is reserved/);
	});

	it('fires on 0', () => {
		fires('priority-range', (draft) => {
			nodeNamed(draft, 'cp1').priority = 0;
		});
	});

	it('accepts 1 and 254', () => {
		silent('priority-range', (draft) => {
			nodeNamed(draft, 'cp1').priority = 254;
			nodeNamed(draft, 'cp3').priority = 1;
		});
	});
});

describe('priority-duplicate', () => {
	it('fires on two load-balancer nodes with one priority', () => {
		const finding = fires('priority-duplicate', (draft) => {
			nodeNamed(draft, 'cp2').priority = 120;
		});
		assert.equal(finding.path, 'nodes[1].priority');
		assert.match(finding.message, /cp1 and cp2 all have keepalived priority 120/);
		assert.match(finding.fix, /cp1: 120, cp2: 110, cp3: 100/);
	});

	it('stays silent when a default would have met a written priority: defaults skip written ones', () => {
		// By position cp2 would get 110, which cp3 asks for; the default moves on to a free priority.
		silent('priority-duplicate', (draft) => {
			delete nodeNamed(draft, 'cp2').priority;
			nodeNamed(draft, 'cp3').priority = 110;
		});
	});

	it('stays silent with distinct or default priorities', () => {
		silent('priority-duplicate');
		silent('priority-duplicate', (draft) => {
			for (const node of draft.nodes) {
				delete node.priority;
			}
		});
	});
});

describe('priority-ignored', () => {
	it('warns on a priority for a node that is not a load balancer', () => {
		const finding = fires('priority-ignored', (draft) => {
			nodeNamed(draft, 'worker1').priority = 90;
		});
		assert.equal(finding.path, 'nodes[3].priority');
		assert.equal(finding.severity, 'warning');
	});

	it('stays silent when the node is a load balancer', () => {
		silent('priority-ignored', (draft) => {
			const worker = nodeNamed(draft, 'worker1');
			worker.priority = 90;
			worker.roles = ['worker', 'load-balancer'];
		});
	});
});

describe('load-balancer-count', () => {
	it('is an error without load-balancer nodes', () => {
		const finding = fires('load-balancer-count', (draft) => {
			for (const node of draft.nodes) {
				node.roles = node.roles.filter((role) => role !== 'load-balancer');
				delete node.priority;
			}
		});
		assert.equal(finding.severity, 'error');
	});

	it('warns with a single load-balancer node, which cannot fail over', () => {
		const finding = fires('load-balancer-count', (draft) => {
			for (const name of ['cp2', 'cp3']) {
				const node = nodeNamed(draft, name);
				node.roles = ['control-plane'];
				delete node.priority;
			}
		});
		assert.equal(finding.severity, 'warning');
		assert.match(finding.message, /only cp1/);
	});

	it('stays silent with two', () => {
		silent('load-balancer-count', (draft) => {
			const node = nodeNamed(draft, 'cp3');
			node.roles = ['control-plane'];
			delete node.priority;
		});
	});
});

describe('static-pod-kubelet', () => {
	it('fires when static pods would go to nodes without a kubelet', () => {
		const finding = fires(
			'static-pod-kubelet',
			(draft) => {
				draft.loadBalancer.deploy = 'static-pod';
			},
			'external-etcd',
		);
		assert.match(finding.message, /lb1 \(roles \[load-balancer]\) and lb2/);
	});

	it('stays silent when every load-balancer node runs a kubelet', () => {
		silent('static-pod-kubelet', undefined, 'five-control-planes-unicast');
		silent(
			'static-pod-kubelet',
			(draft) => {
				draft.loadBalancer.deploy = 'static-pod';
				for (const name of ['lb1', 'lb2']) {
					nodeNamed(draft, name).roles = ['worker', 'load-balancer'];
				}
			},
			'external-etcd',
		);
	});
});

describe('keepalived rules in other modes', () => {
	it('stay silent with kube-vip, whatever the keepalived fields say', () => {
		const rules = [
			'virtual-router-id',
			'priority-range',
			'priority-duplicate',
			'priority-ignored',
			'load-balancer-count',
		];
		const findings = findingsOf(
			undefined,
			(draft) => {
				draft.loadBalancer.virtualRouterId = 300;
				nodeNamed(draft, 'cp1').priority = 255;
				nodeNamed(draft, 'cp2').priority = 255;
			},
			'kube-vip',
		);
		assert.deepEqual(
			findings.filter((finding) => rules.includes(finding.rule)),
			[],
		);
	});
});

describe('priority-spread', () => {
	it('fires when the health check weight could not cover the spread of priorities', () => {
		const finding = fires('priority-spread', (draft) => {
			nodeNamed(draft, 'cp1').priority = 254;
			nodeNamed(draft, 'cp3').priority = 1;
		});
		assert.match(finding.message, /from 1 to 254; .* lower a node by 254/);
	});

	it('stays silent at a spread of 252', () => {
		silent('priority-spread', (draft) => {
			nodeNamed(draft, 'cp1').priority = 254;
			nodeNamed(draft, 'cp3').priority = 2;
		});
	});
});
