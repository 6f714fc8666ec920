import {sh} from '../../runner/shell.ts';
import type {SectionOutput} from '../sections.ts';

/** The IPv4 addresses on the interface the VIP lives on. */
export const vipAddressesCommand = (networkInterface: string): string =>
	sh`ip -o -4 address show dev ${networkInterface}`;

/** Whether `ip -o -4 address` lists the VIP (any prefix length); a missing interface holds nothing. */
export const holdsVip = ({text, exitCode}: SectionOutput, vip: string): boolean =>
	exitCode === 0 && text.split('\n').some((line) => line.includes(` inet ${vip}/`));
