#!/bin/sh
# Lab 6's benchmark (not a test): 200 members each say 10 lines at once; all 398,000 deliveries must
# arrive, exactly once and in each sender's order; the time is reported, then again with one more
# member that never reads (goal: within 20% of the first). Against the reference solution by default;
# PROFILE= (empty) runs it against your own ChatRoom.
#   labs/bench/room-bench.sh [MEMBERS [LINES [ROUNDS [QUEUE (0: members x lines) [PAD]]]]]
set -eu
cd "$(dirname "$0")/.."
PROFILE=${PROFILE--Psolutions}
exec ../mvnw -q $PROFILE test-compile exec:java -pl lab6 -Dexec.classpathScope=test \
    -Dlab.main=org.tcpworkbook.lab6.RoomBench -Dexec.args="${1:-200} ${2:-10} ${3:-3} ${4:-0} ${5:-0}"
