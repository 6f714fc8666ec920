import {nodeAddition} from '../node-addition.ts';
import type {OpenedFile} from '../serialize.ts';
import type {Step} from '../step.ts';
import {addNodeStep} from './add-node.ts';
import {addNodeConfirmStep} from './add-node-confirm.ts';
import {confirmStep} from './confirm.ts';
import {kubernetesStep} from './kubernetes.ts';
import {nodesStep} from './nodes.ts';
import {portsStep} from './ports.ts';
import {reviewStep} from './review.ts';
import {sshStep} from './ssh.ts';
import {startStep} from './start.ts';
import {topologyStep} from './topology.ts';
import {vipStep} from './vip.ts';

/** The start screen and the screens of "Add a node", which work on the opened file. */
function openedSteps(opened: OpenedFile): Step[] {
	const addition = nodeAddition(opened);
	return [startStep(opened.spec), addNodeStep(addition), addNodeConfirmStep(addition)];
}

/** The wizard's screens in order; `opened` is an existing cluster.yaml, which the start screen offers. */
export const wizardSteps = (opened?: OpenedFile): readonly Step[] => [
	...(opened ? openedSteps(opened) : []),
	topologyStep,
	nodesStep,
	vipStep,
	portsStep,
	kubernetesStep,
	sshStep,
	reviewStep,
	confirmStep,
];
