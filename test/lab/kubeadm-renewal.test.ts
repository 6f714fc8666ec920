// The kubeadm stand-in's check-expiration table against real kubeadm's: the same text/tabwriter layout.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {shortHumanDuration, tabwriter} from './stand-ins/lib/kubeadm-renewal.ts';

const real = readFileSync(new URL('../status/fixtures/check-expiration-cp1.txt', import.meta.url), 'utf8');

test("the stand-in lays out kubeadm's tables as kubeadm v1.33 printed them", () => {
	const expires = 'Aug 19, 2026 09:03 UTC';
	const certificates = [
		['admin.conf', 'ca'],
		['apiserver', 'ca'],
		['apiserver-etcd-client', 'etcd-ca'],
		['apiserver-kubelet-client', 'ca'],
		['controller-manager.conf', 'ca'],
		['etcd-healthcheck-client', 'etcd-ca'],
		['etcd-peer', 'etcd-ca'],
		['etcd-server', 'etcd-ca'],
		['front-proxy-client', 'front-proxy-ca'],
		['scheduler.conf', 'ca'],
		['super-admin.conf', 'ca'],
	].map(([name, ca]) => `${name}\t${expires}\t360d\t${ca}\tno      `);
	const authorities = ['ca', 'etcd-ca', 'front-proxy-ca'].map(
		(name) => `${name}\tAug 17, 2035 09:03 UTC\t9y\tno      `,
	);
	const table = tabwriter([
		'CERTIFICATE\tEXPIRES\tRESIDUAL TIME\tCERTIFICATE AUTHORITY\tEXTERNALLY MANAGED',
		...certificates,
		'',
		'CERTIFICATE AUTHORITY\tEXPIRES\tRESIDUAL TIME\tEXTERNALLY MANAGED',
		...authorities,
	]);
	assert.equal(table, real.slice(real.indexOf('CERTIFICATE ')));
});

test("residual times as apimachinery's ShortHumanDuration", () => {
	const second = 1000;
	assert.deepEqual(
		[
			-5 * second,
			-0.5 * second,
			59 * second,
			3599 * second,
			86_399 * second,
			4.9 * 86_400 * second,
			400 * 86_400 * second,
		].map(shortHumanDuration),
		['<invalid>', '0s', '59s', '59m', '23h', '4d', '1y'],
	);
});
