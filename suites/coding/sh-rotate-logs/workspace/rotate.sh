#!/usr/bin/env bash
# rotate.sh DIR [N]: keep the N newest *.log files in DIR
echo 'not implemented' >&2
exit 1
