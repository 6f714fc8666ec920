import {useEffect, useState} from 'react';
import {tickMs} from './format.ts';

/** The time, read again every tick while `isActive`: what elapsed times and the spinner are drawn from. */
export function useClock(now: () => number, isActive: boolean): number {
	const [time, setTime] = useState(now);
	useEffect(() => {
		if (!isActive) {
			return;
		}

		const timer = setInterval(() => setTime(now()), tickMs);
		return () => clearInterval(timer);
	}, [now, isActive]);
	return time;
}
