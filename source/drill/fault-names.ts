/** What `kubeha drill --fault` takes down on the VIP holder; a module of its own so the command line loads nothing else. */
export const faultNames = ['apiserver', 'haproxy', 'keepalived', 'node'] as const;
export type FaultName = (typeof faultNames)[number];
