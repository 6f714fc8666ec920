import {type Shell, sh} from '../runner/shell.ts';
import type {NodeSpec} from '../spec/schema.ts';
import type {HolderChange} from './timeline.ts';

/** How often each node looks. */
const sampleSeconds = 0.1;
/** The longest a watch runs on a node if kubeha is gone without stopping it. */
const watchLimitSeconds = 3600;

/** `case` patterns that match `ip -o address` output naming the VIP (IPv4 or IPv6). */
export const vipPatterns = (vip: string): string =>
	[` inet ${vip}/`, ` inet6 ${vip}/`].map((text) => `*${sh`${text}`}*`).join(' | ');

/**
Prints a line every 0.1 s: the node's clock (seconds, from bash's EPOCHREALTIME, or date on bash before 5), then
`held` or `free` (whether the node has the VIP, `ip -o address`, any interface), then, given a piece check (a
command that exits 0 while the piece runs), `up` or `down`. Every sample is printed, not only changes, so the
loop ends as soon as kubeha stops reading (the write fails), and the node's clock on each line lets kubeha
place every sample on its own clock (see watchVip).
*/
export function vipWatchScript(vip: string, pieceCheck?: string): string {
	const piece =
		pieceCheck === undefined
			? ['\tkubeha_piece=']
			: [`\tif ${pieceCheck}; then kubeha_piece=' up'; else kubeha_piece=' down'; fi`];
	return [
		`kubeha_end=$((SECONDS + ${watchLimitSeconds}))`,
		'while [ "$SECONDS" -lt "$kubeha_end" ]; do',
		// biome-ignore lint/suspicious/noTemplateCurlyInString: bash's ${…:-…}, not a template.
		'\tkubeha_clock=${EPOCHREALTIME:-$(date +%s.%N)}',
		'\tkubeha_addresses=$(ip -o address show)',
		'\tcase "$kubeha_addresses" in',
		`\t${vipPatterns(vip)}) kubeha_vip=held ;;`,
		'\t*) kubeha_vip=free ;;',
		'\tesac',
		...piece,
		'\techo "$kubeha_clock $kubeha_vip$kubeha_piece"',
		`\tsleep ${sampleSeconds}`,
		'done',
	].join('\n');
}

/** The piece a drill takes down was seen to stop (or start) running on its node. */
export type PieceChange = {readonly at: number; readonly up: boolean};

/** The VIP's holders and the piece as the nodes report them, while the watch runs. */
export type VipWatch = {
	/** Each node's first sample, then every change, on the drill's clock as the nodes report so far. */
	readonly changes: readonly HolderChange[];
	/** The piece's first sample, then every change, likewise. */
	readonly pieceChanges: readonly PieceChange[];
	readonly stop: () => Promise<void>;
};

/** A change as its node saw it, on the node's clock (milliseconds). */
type NodeChange = {readonly node: string; readonly nodeAt: number; readonly on: boolean};

/**
Watches every load-balancer node at once, each through one long-running command, and notes when a node starts
or stops holding the VIP, and when the piece on `piece.node` stops or starts. The piece's own report tells when
a fault took effect, however long the command that caused it took to start.

Changes are placed on the drill's clock by the node's clock plus an offset: the least difference seen between a
line's arrival and the node's time in it. So a line that waited in a queue (a busy node, a slow link, a node cut
off and back) still lands when it was taken, not when it arrived; what remains is the fastest one-way delay.
*/
export function watchVip(options: {
	readonly shell: Shell;
	readonly nodes: readonly NodeSpec[];
	readonly vip: string;
	readonly now: () => number;
	readonly piece?: {readonly node: string; readonly check: string};
}): VipWatch {
	const holds: NodeChange[] = [];
	const pieces: NodeChange[] = [];
	const offsets = new Map<string, number>();
	const last = new Map<string, {vip: string; piece: string | undefined}>();
	const stopping = new AbortController();
	const note = (node: string, line: string) => {
		const [clock = '', vip = '', piece] = line.split(' ');
		const nodeAt = Number(clock) * 1000;
		if ((vip !== 'held' && vip !== 'free') || !Number.isFinite(nodeAt)) {
			return;
		}

		const offset = options.now() - nodeAt;
		offsets.set(node, Math.min(offset, offsets.get(node) ?? offset));
		const before = last.get(node);
		last.set(node, {vip, piece});
		if (before?.vip !== vip) {
			holds.push({node, nodeAt, on: vip === 'held'});
		}

		if (piece !== undefined && before?.piece !== piece) {
			pieces.push({node, nodeAt, on: piece === 'up'});
		}
	};

	const at = (change: NodeChange) => change.nodeAt + (offsets.get(change.node) ?? 0);
	const running = options.nodes.map((node) => {
		const check = options.piece?.node === node.name ? options.piece.check : undefined;
		return (
			options.shell
				.run(node, vipWatchScript(options.vip, check), {
					signal: stopping.signal,
					nothrow: true,
					onLine(line, stream) {
						if (stream === 'stdout') {
							note(node.name, line);
						}
					},
				})
				// Stopping aborts the command; a node that cannot be reached just reports nothing.
				.catch(() => undefined)
		);
	});
	return {
		get changes() {
			return holds.map((change) => ({at: at(change), node: change.node, holds: change.on}));
		},
		get pieceChanges() {
			return pieces.map((change) => ({at: at(change), up: change.on}));
		},
		async stop() {
			stopping.abort(new Error('the drill stopped watching'));
			await Promise.all(running);
		},
	};
}
