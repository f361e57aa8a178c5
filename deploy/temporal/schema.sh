#!/bin/sh
# Temporal's schemas: the keyspace and Temporal's schema on the CQL store, the visibility schema on
# Postgres — from the schemas the tools embed. docker-compose.yml's one-shot job (admin tools
# image) and scripts/temporal-cluster.ts (at every start of the local cluster) run it.
# Safe to run again: setup-schema refuses a store that has its version table (let pass), and
# update-schema applies only what is missing.
set -eu
cql="--endpoint $CASSANDRA_HOSTS --port ${CASSANDRA_PORT:-9042}"
keyspace=${CASSANDRA_KEYSPACE:-temporal}
temporal-cassandra-tool $cql create-keyspace --keyspace "$keyspace" --replication-factor "${CASSANDRA_REPLICATION_FACTOR:-1}"
temporal-cassandra-tool $cql --keyspace "$keyspace" setup-schema --version 0.0 || true
temporal-cassandra-tool $cql --keyspace "$keyspace" update-schema --schema-name cassandra/temporal
export SQL_PASSWORD="$VISIBILITY_DB_PASSWORD"
sql="--plugin postgres12 --endpoint $VISIBILITY_DB_HOST --port ${VISIBILITY_DB_PORT:-5432} --user $VISIBILITY_DB_USER --database ${VISIBILITY_DB_NAME:-temporal_visibility}"
temporal-sql-tool $sql setup-schema --version 0.0 || true
temporal-sql-tool $sql update-schema --schema-name postgresql/v12/visibility
echo "schemas ready"
