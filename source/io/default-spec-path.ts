/** The spec kubeha reads when no -c is given. Its own module: the command line needs it before any parser loads. */
export const defaultSpecPath = 'cluster.yaml';
