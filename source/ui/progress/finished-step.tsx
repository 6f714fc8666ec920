import {Box, Text} from 'ink';
import type {HostOutcome} from '../../runner/events.ts';
import {FailureDetails} from './failure-details.tsx';
import {seconds} from './format.ts';
import {outcomeMarks} from './marks.ts';
import type {FinishedStep, HostResult} from './progress-state.ts';

type Props = {readonly step: FinishedStep};

type Failed = {readonly host: string; readonly outcome: Extract<HostOutcome, {status: 'failed'}>};

/** The hosts of a step sorted by how they ended; skipped ones by reason, in the order the reasons first came. */
function sortHosts(results: readonly HostResult[]) {
	const done: string[] = [];
	const skipped = new Map<string, string[]>();
	const failed: Failed[] = [];
	const stopped: string[] = [];
	const notStarted: string[] = [];
	for (const {host, outcome} of results) {
		switch (outcome?.status) {
			case 'done': {
				done.push(host);
				break;
			}

			case 'skipped': {
				skipped.set(outcome.reason, [...(skipped.get(outcome.reason) ?? []), host]);
				break;
			}

			case 'failed': {
				failed.push({host, outcome});
				break;
			}

			case 'aborted': {
				stopped.push(host);
				break;
			}

			case undefined: {
				notStarted.push(host);
			}
		}
	}

	return {done, skipped, failed, stopped, notStarted};
}

/**
A step once it has ended; it stays above the live rows. Below the line: why hosts were skipped, what failed,
where the run stopped, and in a dry run what the step would do.

	✔ Install kubeadm, kubelet and kubectl  cp1 cp2 cp3 worker1 (8.0 s)
	    skipped on worker2: kubeadm, kubelet and kubectl 1.37.1 are already installed
	– Open firewall ports (3.2 s)
	    skipped on cp1 cp2 cp3 worker1 worker2: no firewall is active (ufw inactive)
*/
export function FinishedStepView({step}: Props) {
	const {done, skipped, failed, stopped, notStarted} = sortHosts(step.hosts);
	const onlySkipped = step.status === 'done' && done.length === 0 && skipped.size > 0;
	const {mark, color} = outcomeMarks[onlySkipped ? 'skipped' : step.status];
	// A failed or stopped step names its finished hosts below, so that the red line names no host that went well.
	const completed = step.status === 'done';
	const hosts = completed && done.length > 0 ? `  ${done.join(' ')}` : '';
	return (
		<Box flexDirection="column">
			<Text color={completed ? undefined : color} dimColor={onlySkipped}>
				<Text color={color}>{mark}</Text>
				{` ${step.title}${hosts} (${seconds(step.durationMs)})`}
			</Text>
			{!completed && done.length > 0 ? <Text dimColor>{`    done on ${done.join(' ')}`}</Text> : undefined}
			{[...skipped].map(([reason, on]) => (
				<Text key={reason} dimColor>{`    skipped on ${on.join(' ')}: ${reason}`}</Text>
			))}
			{failed.map(({host, outcome}) => (
				<FailureDetails key={host} host={host} outcome={outcome} />
			))}
			{stopped.length > 0 ? <Text color="yellow">{`    stopped on ${stopped.join(' ')}`}</Text> : undefined}
			{notStarted.length > 0 ? <Text dimColor>{`    not started on ${notStarted.join(' ')}`}</Text> : undefined}
			{step.described.map(({host, text}, index) => (
				// A step may describe the same thing twice; its place is its identity.
				// biome-ignore lint/suspicious/noArrayIndexKey: see above
				<Text key={index} dimColor>{`    ${host}: ${text}`}</Text>
			))}
		</Box>
	);
}
