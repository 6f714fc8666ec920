// Test fixture: where the lab puts its stand-in commands inside each host, and how they can be recognised.

/** Inside a host, first on the PATH of ssh sessions (Debian's sshd gives root /usr/local/sbin:/usr/local/bin:…). */
export const standInDirectory = '/usr/local/sbin';

/** A line in every wrapper the lab writes, so that a stand-in can tell the lab's commands from real ones. */
export const standInMarker = '# kubeha lab stand-in (test fixture, not the real command)';
