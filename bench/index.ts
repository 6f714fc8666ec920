// `npm run bench`: kubeha's benchmarks. Figures are printed, never asserted: timings belong here, not in tests.
import {benchRender} from './render-1000.ts';
import {benchRunnerOverhead} from './runner-overhead.ts';
import {benchSshHandshakes} from './ssh-handshakes.ts';

await benchRender();
await benchRunnerOverhead();
await benchSshHandshakes();
