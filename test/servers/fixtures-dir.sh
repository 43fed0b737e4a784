#!/bin/sh
# Prints the fixtures folder the test servers use (MAILROOM_FIXTURES, else the default lib.sh picks).
set -eu
. "$(dirname -- "$0")/lib.sh"
printf '%s\n' "$F"
