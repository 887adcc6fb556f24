# shellcheck shell=bash
# Sourced by tools/services.sh and tools/service-cli.sh: the Kafka sign-in of a platform service on
# the local stack. tools/stack/stack.sh generates the passwords into $STACK_DIR/kafka/principals.json.

# stack_kafka_password <user>: the password of one of the stack's static Kafka users.
stack_kafka_password() {
  local file=${STACK_DIR:?}/kafka/principals.json value
  value=$(sed -n "s/^  \"$1\": \"\([0-9a-f]*\)\".*/\1/p" "$file" 2>/dev/null)
  if [[ -z $value ]]; then
    echo "no Kafka password for $1 in $file: run npm run stack:up first." >&2
    return 1
  fi
  echo "$value"
}

# export_service_kafka_env <service>: KAFKA_SASL_MECHANISM, KAFKA_USERNAME and KAFKA_PASSWORD of
# svc-<service>, unless the caller set KAFKA_USERNAME/KAFKA_PASSWORD itself.
export_service_kafka_env() {
  local password
  if [[ -n ${KAFKA_USERNAME:-} && -n ${KAFKA_PASSWORD:-} ]]; then return 0; fi
  password=$(stack_kafka_password "svc-$1") || return 1
  export KAFKA_SASL_MECHANISM=plain KAFKA_USERNAME=svc-$1 KAFKA_PASSWORD=$password
}
