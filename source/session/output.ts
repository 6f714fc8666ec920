/** Where a command writes: the CLI passes process streams, tests pass collectors. */
export type CommandOutput = {
	readonly out: (text: string) => void;
	readonly err: (text: string) => void;
};

export const processOutput: CommandOutput = {
	out: (text) => process.stdout.write(`${text}\n`),
	err: (text) => process.stderr.write(`${text}\n`),
};
