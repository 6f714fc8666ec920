// `npm run bench`: kubeha's benchmarks. Figures are printed, never asserted: timings belong here, not in tests.
import {benchRender} from './render-1000.ts';

await benchRender();
