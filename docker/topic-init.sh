#!/bin/sh
# topic-init: creates every topic listed in $TOPICS_FILE that does not exist yet, with
# $REPLICATION_FACTOR replicas, min.insync.replicas=$MIN_INSYNC_REPLICAS and the configs of its line.
# Lines: "<topic> <partitions> [config=value,...]"; '#' starts a comment. Existing topics are not touched.
set -eu

: "${BOOTSTRAP_SERVERS:?}" "${TOPICS_FILE:?}" "${REPLICATION_FACTOR:?}" "${MIN_INSYNC_REPLICAS:?}"
# Overridable so that the script can be tested without a broker.
KAFKA_TOPICS="${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}"

created=0
while read -r topic partitions configs rest || [ -n "${topic:-}" ]; do
  case "$topic" in '' | '#'*) continue ;; esac
  if [ -z "${partitions:-}" ] || [ -n "${rest:-}" ]; then
    echo "topic-init: bad line for $topic in $TOPICS_FILE" >&2
    exit 2
  fi
  set -- --bootstrap-server "$BOOTSTRAP_SERVERS" --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" --replication-factor "$REPLICATION_FACTOR" \
    --config "min.insync.replicas=$MIN_INSYNC_REPLICAS"
  old_ifs="$IFS"
  IFS=,
  for config in ${configs:-}; do
    set -- "$@" --config "$config"
  done
  IFS="$old_ifs"
  "$KAFKA_TOPICS" "$@"
  created=$((created + 1))
done <"$TOPICS_FILE"

echo "topic-init: $created topics present on $BOOTSTRAP_SERVERS"
