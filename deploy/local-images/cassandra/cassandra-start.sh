#!/bin/bash
# One Cassandra node in the foreground: a minimal cassandra.yaml on this container's address, the
# heap from MAX_HEAP_SIZE (as the official image reads it), and the module openings Cassandra 5.0
# needs on JDK 17 (its conf/jvm17-server.options).
set -euo pipefail
address=$(hostname -i | awk '{print $1}')
heap=${MAX_HEAP_SIZE:-384M}
cat >/etc/cassandra/cassandra.yaml <<YAML
cluster_name: ${CASSANDRA_CLUSTER_NAME:-flowshield}
num_tokens: 16
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
data_file_directories: [/var/lib/cassandra/data]
commitlog_directory: /var/lib/cassandra/commitlog
saved_caches_directory: /var/lib/cassandra/saved_caches
hints_directory: /var/lib/cassandra/hints
cdc_raw_directory: /var/lib/cassandra/cdc_raw
commitlog_sync: periodic
commitlog_sync_period: 10000ms
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "${address}:7000"
listen_address: ${address}
rpc_address: 0.0.0.0
broadcast_rpc_address: ${address}
native_transport_port: 9042
start_native_transport: true
endpoint_snitch: SimpleSnitch
YAML
cat >/etc/cassandra/logback.xml <<'XML'
<configuration><appender name="OUT" class="ch.qos.logback.core.ConsoleAppender"><encoder><pattern>%level %logger{0} %msg%n</pattern></encoder></appender><root level="INFO"><appender-ref ref="OUT"/></root></configuration>
XML
opens=(java.base/java.lang.module java.base/jdk.internal.loader java.base/jdk.internal.ref java.base/jdk.internal.reflect
  java.base/jdk.internal.math java.base/jdk.internal.module java.base/jdk.internal.util.jar jdk.management/com.sun.management.internal
  java.base/sun.nio.ch java.base/java.io java.base/java.lang.reflect jdk.compiler/com.sun.tools.javac java.base/java.lang java.base/java.util)
exports=(java.base/jdk.internal.misc java.management.rmi/com.sun.jmx.remote.internal.rmi java.rmi/sun.rmi.registry java.rmi/sun.rmi.server
  java.sql/java.sql java.base/java.lang.ref jdk.unsupported/sun.misc jdk.compiler/com.sun.tools.javac.file jdk.attach/sun.tools.attach)
flags=(-Djdk.attach.allowAttachSelf=true -Dio.netty.tryReflectionSetAccessible=true)
for p in "${opens[@]}"; do flags+=("--add-opens=$p=ALL-UNNAMED"); done
for p in "${exports[@]}"; do flags+=("--add-exports=$p=ALL-UNNAMED"); done
jamm=$(ls /opt/cassandra/lib/jamm-*.jar | head -1)
exec java "-Xms$heap" "-Xmx$heap" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError "${flags[@]}" "-javaagent:$jamm" \
  -Dcassandra.config=file:///etc/cassandra/cassandra.yaml -Dlogback.configurationFile=/etc/cassandra/logback.xml \
  -Dcassandra-foreground=yes -Dcassandra.jmx.local.port=7199 -cp "/etc/cassandra:/opt/cassandra/lib/*" \
  org.apache.cassandra.service.CassandraDaemon
