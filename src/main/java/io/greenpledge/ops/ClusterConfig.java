package io.greenpledge.ops;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.greenpledge.config.Settings;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The Hazelcast cluster manager for clustered mode: Vert.x's default cluster maps, multicast off,
 * members from a TCP/IP list or from the replicas' headless Service in Kubernetes.
 */
public final class ClusterConfig {

  private ClusterConfig() {}

  public static HazelcastClusterManager manager(Settings.Cluster cluster) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName("greenpledge");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config
        .getNetworkConfig()
        .setPort(cluster.port())
        .setPortAutoIncrement(false)
        .setPublicAddress(cluster.host());
    config
        .getNetworkConfig()
        .getInterfaces()
        .setEnabled(cluster.discovery() == Settings.Cluster.Discovery.TCP)
        .addInterface(cluster.host());
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.discovery() == Settings.Cluster.Discovery.KUBERNETES) {
      join.getKubernetesConfig().setEnabled(true).setProperty("service-name", cluster.service());
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    }
    return new HazelcastClusterManager(config);
  }
}
