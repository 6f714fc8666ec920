import type {ParsedCluster} from '../spec/schema.ts';
import type {Answers} from './answers.ts';

type Section = 'kubernetes' | 'etcd' | 'loadBalancer' | 'apiServer' | 'ssh';

/** An object without its undefined fields: an optional answer left empty is absent from cluster.yaml. */
function withoutUndefined<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

export const editSpec = (answers: Answers, change: (spec: ParsedCluster) => ParsedCluster): Answers => ({
	...answers,
	spec: change(answers.spec),
});

/** The answers with some fields of one section of the spec set; `undefined` removes a field. */
export const setSection = <K extends Section>(
	answers: Answers,
	section: K,
	patch: {readonly [F in keyof ParsedCluster[K]]?: ParsedCluster[K][F] | undefined},
): Answers => editSpec(answers, (spec) => ({...spec, [section]: withoutUndefined({...spec[section], ...patch})}));
