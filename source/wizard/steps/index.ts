import type {ParsedCluster} from '../../spec/schema.ts';
import type {Step} from '../step.ts';
import {confirmStep} from './confirm.ts';
import {kubernetesStep} from './kubernetes.ts';
import {nodesStep} from './nodes.ts';
import {portsStep} from './ports.ts';
import {reviewStep} from './review.ts';
import {sshStep} from './ssh.ts';
import {startStep} from './start.ts';
import {topologyStep} from './topology.ts';
import {vipStep} from './vip.ts';

/** The wizard's screens in order; `opened` is the spec of an existing cluster.yaml, which the start screen offers. */
export const wizardSteps = (opened?: ParsedCluster): readonly Step[] => [
	...(opened ? [startStep(opened)] : []),
	topologyStep,
	nodesStep,
	vipStep,
	portsStep,
	kubernetesStep,
	sshStep,
	reviewStep,
	confirmStep,
];
