// `npm run bench`: kubeha's benchmarks. Figures are printed, never asserted: timings belong here, not in tests.
// The lab benchmarks (apply wall time, failover) need root and the lab's packages; they say so and skip otherwise.
import {benchApplyWallTime} from './apply-wall-time.ts';
import {benchFailover} from './failover.ts';
import {benchRender} from './render-1000.ts';
import {benchRunnerOverhead} from './runner-overhead.ts';
import {benchSshHandshakes} from './ssh-handshakes.ts';
import {benchStartup} from './startup.ts';

await benchRender();
await benchRunnerOverhead();
await benchSshHandshakes();
await benchStartup();
await benchApplyWallTime();
await benchFailover();
