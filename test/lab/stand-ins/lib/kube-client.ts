// Test fixture for the lab's kubeadm and kubectl stand-ins (and lab tests): HTTPS requests to a kube-apiserver with
// a kubeconfig's credentials, the way client-go makes them (TLS verified against the CA unless told otherwise).
import {request} from 'node:https';
import {setTimeout as delay} from 'node:timers/promises';
import type {Status} from './kube-objects.ts';
import type {Connection} from './kubeconfig.ts';

export type Target = Connection & {
	/** Skip TLS verification, as token discovery's first request does (it checks the CA afterwards). */
	insecure?: boolean;
	/** Per attempt; default 5 s. */
	timeoutMs?: number;
	/**
	How long to keep retrying when the server cannot be reached (kubeadm retries its API calls for a minute; a
	load balancer may still be marking a new apiserver up). Default 0: one attempt, as kubectl makes.
	*/
	retryMs?: number;
};

export type KubeResponse = {status: number; body: string};

const defaultTimeoutMs = 5000;

/** A request, retried while the server cannot be reached and target.retryMs allows; API errors are answers, not retried. */
export async function kubeRequest(target: Target, method: string, path: string, body?: unknown): Promise<KubeResponse> {
	const deadline = Date.now() + (target.retryMs ?? 0);
	for (;;) {
		try {
			return await attempt(target, method, path, body);
		} catch (error) {
			if (!unreachable.has((error as NodeJS.ErrnoException).code ?? '') || Date.now() >= deadline) throw error;
			await delay(250);
		}
	}
}

/** Errors of a server that is not there (yet); a TLS verification failure is not one of them. */
const unreachable = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE']);

/** One request on a fresh connection (so that requests through haproxy spread over the apiservers). */
function attempt(target: Target, method: string, path: string, body?: unknown): Promise<KubeResponse> {
	const url = new URL(path, target.server);
	const payload = body === undefined ? undefined : JSON.stringify(body);
	const timeout = target.timeoutMs ?? defaultTimeoutMs;
	return new Promise((resolve, reject) => {
		const outgoing = request(
			url,
			{
				method,
				agent: false,
				timeout,
				rejectUnauthorized: target.insecure !== true,
				...(target.ca === undefined ? {} : {ca: target.ca}),
				...(target.cert === undefined ? {} : {cert: target.cert, key: target.key}),
				headers: {
					Accept: 'application/json',
					...(payload === undefined ? {} : {'Content-Type': 'application/json'}),
					...(target.token === undefined ? {} : {Authorization: `Bearer ${target.token}`}),
				},
			},
			(response) => {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (chunk: string) => {
					text += chunk;
				});
				response.on('end', () => resolve({status: response.statusCode ?? 0, body: text}));
			},
		);
		outgoing.on('timeout', () =>
			outgoing.destroy(Object.assign(new Error(`no answer within ${timeout} ms`), {code: 'ETIMEDOUT'})),
		);
		// Worded like Go's net/http errors, which kubeadm prints; the code tells whether to retry.
		outgoing.on('error', (error: NodeJS.ErrnoException) =>
			reject(Object.assign(new Error(`${method} "${url.href}": ${error.message}`), {code: error.code})),
		);
		outgoing.end(payload);
	});
}

/** An error answer from the API, with the message of its Status (e.g. `secrets "kubeadm-certs" not found`). */
export class KubeApiError extends Error {
	override name = 'KubeApiError';
	readonly status: number;
	constructor(status: number, message: string) {
		super(message);
		this.status = status;
	}
}

/** The JSON body of a 2xx answer; a KubeApiError otherwise. */
export async function kubeJson<T>(target: Target, method: string, path: string, body?: unknown): Promise<T> {
	const response = await kubeRequest(target, method, path, body);
	if (response.status >= 200 && response.status < 300) return JSON.parse(response.body) as T;
	let message = response.body.trim();
	try {
		message = (JSON.parse(response.body) as Status).message;
	} catch {
		// Not a Status: keep the text.
	}
	throw new KubeApiError(response.status, message || `HTTP ${response.status}`);
}
