// The kubeadm HA guide's keepalived and haproxy configuration (kubernetes/kubeadm docs/ha-considerations.md), for
// the failover benchmark to compare kubeha's settings with. Everything that decides failover timing is the
// guide's, verbatim: the check script, its interval 3 / fall 10 / rise 2 / weight -2, priorities 101 and 100,
// advert_int left at 1, and haproxy's defaults and checks (inter 2s, fall 3, rise 2 by default, retries 1,
// timeout connect 5s, timeout check 10s). Three things are kubeha's, none of which changes timing:
// - global_defs names script_user root (with enable_script_security): outside the guide's container keepalived
//   would otherwise look for a keepalived_script user, and without one the check would not run at all;
// - haproxy's global section (the admin socket that the drill's health check reads, the haproxy user) and the
//   names kube-apiserver for its frontend and backend, which the drill looks for;
// - the VIP keeps its prefix length and interface, and router id and password are the cluster's.

export type GuideNode = {readonly name: string; readonly address: string};

/** check_apiserver.sh as the guide has it, for a load balancer on `port`. */
export const guideCheckScript = (port: number): string => `#!/bin/sh

errorExit() {
    echo "*** $*" 1>&2
    exit 1
}

curl -sfk --max-time 2 https://localhost:${port}/healthz -o /dev/null || errorExit "Error GET https://localhost:${port}/healthz"
`;

/** keepalived.conf as the guide has it: MASTER with priority 101 on the first node, BACKUP with 100 elsewhere. */
export function guideKeepalived(options: {
	readonly master: boolean;
	readonly networkInterface: string;
	readonly routerId: string;
	readonly authPass: string;
	readonly vip: string;
}): string {
	return `! Configuration File for keepalived (the kubeadm HA guide's, for kubeha's failover benchmark)
global_defs {
    router_id LVS_DEVEL
    enable_script_security
    script_user root
}
vrrp_script check_apiserver {
  script "/etc/keepalived/check_apiserver.sh"
  interval 3
  weight -2
  fall 10
  rise 2
}

vrrp_instance VI_1 {
    state ${options.master ? 'MASTER' : 'BACKUP'}
    interface ${options.networkInterface}
    virtual_router_id ${options.routerId}
    priority ${options.master ? 101 : 100}
    authentication {
        auth_type PASS
        auth_pass ${options.authPass}
    }
    virtual_ipaddress {
        ${options.vip} dev ${options.networkInterface}
    }
    track_script {
        check_apiserver
    }
}
`;
}

/** haproxy.cfg as the guide has it (defaults, frontend, backend), with kubeha's global section and names. */
export function guideHaproxy(port: number, apiServerPort: number, servers: readonly GuideNode[]): string {
	return `global
    log stdout format raw local0 info
    stats socket /run/haproxy/admin.sock mode 660 level admin
    user haproxy
    group haproxy

defaults
    mode                    http
    log                     global
    option                  httplog
    option                  dontlognull
    option http-server-close
    option forwardfor       except 127.0.0.0/8
    option                  redispatch
    retries                 1
    timeout http-request    10s
    timeout queue           20s
    timeout connect         5s
    timeout client          35s
    timeout server          35s
    timeout http-keep-alive 10s
    timeout check           10s

frontend kube-apiserver
    bind *:${port}
    mode tcp
    option tcplog
    default_backend kube-apiserver

backend kube-apiserver
    option httpchk
    http-check connect ssl
    http-check send meth GET uri /healthz
    http-check expect status 200
    mode tcp
    balance     roundrobin
${servers.map((server) => `    server ${server.name} ${server.address}:${apiServerPort} check verify none`).join('\n')}
`;
}
