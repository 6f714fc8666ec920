import {readFileSync} from 'node:fs';
import {parseSecrets} from '../../source/secrets/codec.ts';
import type {Secrets} from '../../source/secrets/types.ts';

/**
Fixed, fake secrets for tests, generated once by kubeha itself (test/fixtures/secrets.yaml) and never used by any
real cluster: a real CA so join files pin a real hash, and the external-etcd example's etcd PKI, so every example
renders from them and the output stays the same from run to run.
*/
function loadTestSecrets(): Secrets {
	const path = new URL('../fixtures/secrets.yaml', import.meta.url);
	const {secrets, problems} = parseSecrets(readFileSync(path, 'utf8'));
	if (!secrets) {
		throw new Error(`test/fixtures/secrets.yaml: ${problems.join('; ')}`);
	}

	return secrets;
}

export const testSecrets: Secrets = loadTestSecrets();
