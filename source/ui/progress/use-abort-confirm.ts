import {useInput, useStdin} from 'ink';
import {useEffect, useReducer, useRef} from 'react';
import {type AbortConfirm, abortConfirmReducer} from './use-abort-confirm-state.ts';

/**
The view's only keyboard handler: Ctrl-C, then y, calls onAbortRequest once. It listens while `isActive` and
the terminal can deliver single keys (raw mode); without raw mode Ctrl-C stays the terminal's SIGINT.
*/
export function useAbortConfirm(onAbortRequest: () => void, isActive: boolean): AbortConfirm {
	const [state, dispatch] = useReducer(abortConfirmReducer, 'watching');
	const {isRawModeSupported} = useStdin();
	useInput((input, key) => dispatch({input, key}), {isActive: isActive && isRawModeSupported});
	// Asked once: a caller passing a new callback on each render must not be asked again.
	const asked = useRef(false);
	useEffect(() => {
		if (state === 'stopping' && !asked.current) {
			asked.current = true;
			onAbortRequest();
		}
	}, [state, onAbortRequest]);
	return state;
}
