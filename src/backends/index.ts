/** Backend registry: config → Backend instance. */
import type { Config } from '../config/schema.js';
import { LocalProcessBackend } from './local-process/index.js';
import { LocalBwrapBackend } from './local-bwrap/index.js';
import { LocalGvisorBackend } from './local-gvisor/index.js';
import { AgentSandboxBackend } from './agent-sandbox/index.js';
import { IsolaBackend } from './isola/index.js';
import { KarsSandboxBackend } from './karssandbox/index.js';
import { kubeObjectOptions } from './kube-object/from-config.js';
import { SubstrateBackend } from './substrate/index.js';
import { OpenShellGrpcBackend, openShellGrpcOptions } from './openshell/grpc/index.js';
import { openShellKubernetesFromConfig } from './openshell/kubernetes/from-config.js';
import type { Backend } from './types.js';

export type { Backend, Capabilities, Endpoint, SandboxInfo } from './types.js';

export function createBackend(config: Config): Backend {
  switch (config.backend) {
    case 'local-process':
      return new LocalProcessBackend({ chromiumPath: config.chromiumPath, chromiumArgs: config.chromiumArgs, warmPool: config.warmPool });
    case 'local-bwrap':
      return new LocalBwrapBackend({
        chromiumPath: config.chromiumPath,
        chromiumArgs: config.chromiumArgs,
        warmPool: config.warmPool,
        root: config.sandboxDir,
        network: config.sandboxNetwork,
        uid: config.sandboxUid,
        gid: config.sandboxUid,
        limits: { memoryBytes: config.sandboxMemory, cpus: config.sandboxCpus, pids: config.sandboxPids },
      });
    case 'local-gvisor':
      return new LocalGvisorBackend({ chromiumPath: config.chromiumPath, chromiumArgs: config.chromiumArgs, root: config.sandboxDir, memoryBytes: config.sandboxMemory });
    case 'agent-sandbox':
      return new AgentSandboxBackend({ ...kubeObjectOptions(config), warmPool: config.warmPoolName });
    case 'substrate':
      return new SubstrateBackend({
        endpoint: config.substrateEndpoint,
        api: config.substrateApi,
        auth: config.substrateAuth,
        serverName: config.substrateServerName,
        caFile: config.substrateCaFile,
        certFile: config.substrateCertFile,
        keyFile: config.substrateKeyFile,
        tokenFile: config.substrateTokenFile,
        atespace: config.substrateAtespace,
        actorTemplate: config.substrateActorTemplate,
        router: config.substrateRouter,
        sandboxSecret: config.sandboxSecret,
        gatewayId: config.gatewayId,
        namePrefix: config.namePrefix,
        suspendWith: config.substrateSuspend,
      });
    case 'karssandbox':
      return new KarsSandboxBackend({ ...kubeObjectOptions(config), sandboxImage: config.sandboxImage, inferenceRef: config.karsInferenceRef, isolation: config.karsIsolation });
    case 'isola':
      return new IsolaBackend({ ...kubeObjectOptions(config), namespace: config.isolaNamespace, sandboxImage: config.sandboxImage, egressCidrs: config.isolaEgressCidrs });
    case 'openshell':
      return config.openshellMode === 'grpc' ? new OpenShellGrpcBackend(openShellGrpcOptions(config)) : openShellKubernetesFromConfig(config);
  }
}
