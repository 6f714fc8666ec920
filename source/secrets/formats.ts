/**
The formats of the secret values, shared by the generator (which makes them) and the codec (which checks a
secrets file someone may have edited by hand).
*/

/**
Letters and digits only: keepalived.conf takes auth_pass as a bare word, and these can never end it, start a
comment (`#`, `!`) or need quoting.
*/
export const vrrpAuthPassAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** keepalived uses only the first 8 characters of auth_pass, so a longer one only pretends to be stronger. */
export const vrrpAuthPassLength = 8;

export const vrrpAuthPassPattern = /^[A-Za-z\d]{8}$/;

/** The alphabet of kubeadm bootstrap tokens (`[a-z0-9]{6}.[a-z0-9]{16}`). */
export const bootstrapTokenAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

export const bootstrapTokenPattern = /^[a-z\d]{6}\.[a-z\d]{16}$/;

/** kubeadm's certificate key: a 32-byte AES key, hex-encoded (lowercase, as `kubeadm certs certificate-key` prints it). */
export const certificateKeyPattern = /^[\da-f]{64}$/;
