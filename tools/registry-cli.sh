#!/usr/bin/env bash
# Runs a registry command-line tool against the local stack's registry database.
#   tools/registry-cli.sh create-admin <username> [regionPrefix] [display name]
#   tools/registry-cli.sh import-divisions <2|4|6-digit prefix>
exec bash "$(dirname "${BASH_SOURCE[0]}")/service-cli.sh" registry "$@"
