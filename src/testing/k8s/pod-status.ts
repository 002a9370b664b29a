/** Pod and Node status documents the test node agent writes, as a kubelet would. */
import type { V1Pod, V1PodStatus } from '@kubernetes/client-node';

const cond = (type: string, status: 'True' | 'False', now: Date, reason?: string) => ({ type, status, lastTransitionTime: now, ...(reason ? { reason } : {}) });

export function runningStatus(pod: V1Pod, podIP: string, hostIP: string, restartCount = 0, now = new Date()): V1PodStatus {
  return {
    phase: 'Running',
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: now,
    conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((t) => cond(t, 'True', now)),
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      ready: true,
      started: true,
      restartCount,
      state: { running: { startedAt: now } },
    })),
  };
}

/** A failed container: the pod stays Running but not Ready while it restarts, else it is Failed. */
export function failedStatus(pod: V1Pod, reason: string, message: string, restarting: boolean, restartCount: number, now = new Date()): V1PodStatus {
  return {
    phase: restarting ? 'Running' : 'Failed',
    ...(restarting ? {} : { reason, message: message.slice(0, 1000) }),
    conditions: [cond('PodScheduled', 'True', now), cond('Ready', 'False', now, reason), cond('ContainersReady', 'False', now, reason)],
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      ready: false,
      restartCount,
      state: restarting
        ? { waiting: { reason: 'CrashLoopBackOff', message: message.slice(0, 500) } }
        : { terminated: { exitCode: 1, reason, message: message.slice(0, 500), finishedAt: now } },
    })),
  };
}

/**
 * The Node's status. The API server reaches the kubelet (pod logs) at the preferred address — Hostname
 * comes before InternalIP — so only the InternalIP is advertised: the node name does not resolve.
 */
export function readyNode(name: string, hostIP: string, kubeletPort?: number, now = new Date()) {
  return {
    capacity: { cpu: '64', memory: '256Gi', pods: '1000' },
    allocatable: { cpu: '64', memory: '256Gi', pods: '1000' },
    addresses: [{ type: 'InternalIP', address: hostIP }],
    ...(kubeletPort ? { daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } } } : {}),
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'sandgate test node agent', lastHeartbeatTime: now, lastTransitionTime: now }],
    nodeInfo: {
      architecture: process.arch, bootID: '', containerRuntimeVersion: 'sandgate-test://1', kernelVersion: '', kubeProxyVersion: '',
      kubeletVersion: 'sandgate-test-node-agent', machineID: '', operatingSystem: 'linux', osImage: 'local processes', systemUUID: '',
    },
  };
}
