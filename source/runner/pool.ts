/**
Calls work on each item, at most `limit` at a time, in order of the items. Once a call returns false no new
call starts; the running ones finish.
*/
export async function forEachBounded<T>(
	items: readonly T[],
	limit: number,
	work: (item: T) => Promise<boolean>,
): Promise<void> {
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < items.length) {
			const item = items[next++] as T;
			if (!(await work(item))) {
				stopped = true;
			}
		}
	};

	await Promise.all(Array.from({length: Math.max(1, Math.min(limit, items.length))}, worker));
}
