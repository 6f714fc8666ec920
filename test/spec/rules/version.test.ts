import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {fires, silent} from '../../helpers/spec.ts';

describe('kubernetes-version', () => {
	const withVersion = (version: string) =>
		fires('kubernetes-version', (draft) => {
			draft.kubernetes.version = version;
		});

	it('fires on a leading "v" and suggests the bare version', () => {
		const finding = withVersion('v1.37.1');
		assert.equal(finding.path, 'kubernetes.version');
		assert.match(finding.fix, /"1\.37\.1"/);
	});

	it('fires on a version without a patch number', () => {
		assert.equal(withVersion('1.37').severity, 'error');
	});

	it('is an error below 1.35, the oldest release the components table covers', () => {
		const finding = withVersion('1.34.4');
		assert.equal(finding.severity, 'error');
		assert.match(finding.message, /1\.35 to 1\.37/);
	});

	it('warns above the newest known release', () => {
		assert.equal(withVersion('1.38.0').severity, 'warning');
	});

	it('accepts the oldest and newest supported releases', () => {
		for (const version of ['1.35.0', '1.37.9']) {
			silent('kubernetes-version', (draft) => {
				draft.kubernetes.version = version;
			});
		}
	});
});
