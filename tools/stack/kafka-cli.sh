#!/usr/bin/env bash
# Run a Kafka command line tool (any main class) with the jars cached by tools/stack/stack.sh.
#
# Usage: tools/stack/kafka-cli.sh <main-class|alias> [tool args...]
#   tools/stack/kafka-cli.sh org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server 127.0.0.1:9092 --list
#   tools/stack/kafka-cli.sh topics --bootstrap-server 127.0.0.1:9092 --create --topic demo --partitions 3
#   echo hello | tools/stack/kafka-cli.sh console-producer --bootstrap-server 127.0.0.1:9092 --topic demo
#   tools/stack/kafka-cli.sh console-consumer --bootstrap-server 127.0.0.1:9092 --topic demo --from-beginning --max-messages 1
#
# Aliases:
#   topics               org.apache.kafka.tools.TopicCommand
#   console-producer     org.apache.kafka.tools.ConsoleProducer
#   console-consumer     org.apache.kafka.tools.consumer.ConsoleConsumer
#   consumer-groups      org.apache.kafka.tools.consumer.group.ConsumerGroupCommand
#   get-offsets          org.apache.kafka.tools.GetOffsetShell
#   broker-api-versions  org.apache.kafka.tools.BrokerApiVersionsCommand
#   metadata-quorum      org.apache.kafka.tools.MetadataQuorumCommand
#   delete-records       org.apache.kafka.tools.DeleteRecordsCommand
#   storage              kafka.tools.StorageTool (broker jars)
#
# Class path: classes in the `kafka.` package (broker internals such as kafka.tools.StorageTool)
# run with the broker jars (org.apache.kafka:kafka_2.13:4.4.0); everything else runs with the
# tools jars (org.apache.kafka:kafka-tools:$KAFKA_TOOLS_VERSION, default 4.3.1 - kafka-tools
# 4.4.0 is not published on Maven Central). Force one with KAFKA_CLI_JARS=broker|tools.
# Jars are downloaded on first use (needs Maven), see stack.sh for KAFKA_CACHE_DIR etc.
#
# Environment:
#   KAFKA_CLI_OPTS   JVM options [-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1]
#   KAFKA_CLI_JARS   broker|tools, overrides the class path choice described above
# Logging: WARN and above to stderr (tools/stack/kafka/log4j2.properties); tool output on stdout.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
  sed -n '2,/^set -euo pipefail/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
  [[ $# -ge 1 ]] && exit 0 || exit 2
fi

class=$1
shift
case $class in
  topics) class=org.apache.kafka.tools.TopicCommand ;;
  console-producer) class=org.apache.kafka.tools.ConsoleProducer ;;
  console-consumer) class=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  consumer-groups) class=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  get-offsets) class=org.apache.kafka.tools.GetOffsetShell ;;
  broker-api-versions) class=org.apache.kafka.tools.BrokerApiVersionsCommand ;;
  metadata-quorum) class=org.apache.kafka.tools.MetadataQuorumCommand ;;
  delete-records) class=org.apache.kafka.tools.DeleteRecordsCommand ;;
  storage) class=kafka.tools.StorageTool ;;
esac

jars=${KAFKA_CLI_JARS:-}
if [[ -z $jars ]]; then
  case $class in
    kafka.*) jars=broker ;;
    *) jars=tools ;;
  esac
fi

if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
  JAVA=$JAVA_HOME/bin/java
elif ! JAVA=$(command -v java); then
  echo "[kafka-cli] error: Java 17 not found: install openjdk-17-jre-headless (apt-get install -y openjdk-17-jre-headless)." >&2
  exit 1
fi

# prints the class path, downloading the jars first if needed (messages go to stderr)
cp=$("$SCRIPT_DIR/stack.sh" classpath "$jars")

# shellcheck disable=SC2086 # KAFKA_CLI_OPTS is a list of JVM options
exec "$JAVA" ${KAFKA_CLI_OPTS:--Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} \
  -Dlog4j2.configurationFile="$SCRIPT_DIR/kafka/log4j2.properties" \
  -Dkafka.stack.fileLevel=OFF -Dkafka.stack.consoleLevel=WARN \
  -cp "$cp" "$class" "$@"
