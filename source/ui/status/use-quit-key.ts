import {useInput, useStdin} from 'ink';

/** q, Esc or Ctrl-C call onQuit, while `isActive` and the terminal delivers single keys (raw mode). */
export function useQuitKey(onQuit: () => void, isActive: boolean): void {
	const {isRawModeSupported} = useStdin();
	useInput(
		(input, key) => {
			if (input === 'q' || key.escape || (key.ctrl && input === 'c')) {
				onQuit();
			}
		},
		{isActive: isActive && isRawModeSupported},
	);
}
