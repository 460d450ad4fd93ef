#!/bin/sh
# Captures the two conversations of docs/snippets/on-the-wire.jsh on the loopback interface:
# tcpdump's lines and ss's states, as shown in "TCP on the wire" (tcp-and-sockets.adoc).
# Linux only, as root (tcpdump needs it), with jshell (JDK 17+), tcpdump and ss (iproute2) on the PATH.
#   sh docs/wire/capture.sh [OUTPUT_FOLDER]     (default: a new folder under /tmp)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$(mktemp -d /tmp/on-the-wire.XXXXXX)}
mkdir -p "$out"

# jshell prints the port the system chose, then waits 1.5 s: time to start tcpdump on that port.
WIRE_PAUSE_MS=1500 WIRE_SS=1 jshell -R-Dfile.encoding=UTF-8 "$here/../snippets/on-the-wire.jsh" \
    > "$out/jshell.txt" 2>&1 < /dev/null &
jshell_pid=$!
port=
tries=0
while [ -z "$port" ]; do
    tries=$((tries + 1))
    if [ "$tries" -gt 300 ]; then
        echo "jshell printed no port within 30 s; its output:" >&2
        cat "$out/jshell.txt" >&2
        kill "$jshell_pid" 2>/dev/null || true
        exit 1
    fi
    sleep 0.1
    port=$(sed -n 's/^port \([0-9][0-9]*\)$/\1/p' "$out/jshell.txt" | head -n 1)
done

# -i lo: the loopback interface; -nn: numbers, no names; -S: absolute sequence numbers;
# -l: a line at a time. Only this port's packets: other programs use loopback too.
tcpdump -i lo -nn -S -l "tcp port $port" > "$out/tcpdump.txt" 2> "$out/tcpdump.err" &
tcpdump_pid=$!
wait "$jshell_pid" || true
sleep 0.5                       # the last packets reach tcpdump's output
kill "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null || true
echo "port $port; in $out: jshell.txt (the script's output, ss's states), tcpdump.txt (the packets)"
