#!/usr/bin/env bash
set -euo pipefail
wc -l < "$1"
