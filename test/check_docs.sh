#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# doc/configuration.md and doc/cli.md are generated from the config schema
# tables and the CLI registry. Fail if the checked-in copies drifted;
# regenerate with:
#   build/app/ferry --config-doc > doc/configuration.md
#   build/app/ferry --cli-doc > doc/cli.md
set -e
ferry=$1
docs=$2
"$ferry" --config-doc | diff -u "$docs/configuration.md" -
"$ferry" --cli-doc | diff -u "$docs/cli.md" -
echo "doc/configuration.md and doc/cli.md match the tables"
