#!/usr/bin/env bash
set -euo pipefail
mkdir -p backup
for f in $*; do
  cp $f backup/
done
