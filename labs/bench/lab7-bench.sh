#!/usr/bin/env bash
# Lab 7's benchmark: line echo over loopback with 100, 1,000 and 10,000 connections, for a thread
# per client and a pool (lab 4's reference solution), virtual threads and the Selector (lab 7's
# reference solutions), and Netty's echo server as the anchor; each server in a JVM of its own,
# the load generator (labs/kit, src/load/java) in another.
#
#   labs/bench/lab7-bench.sh [--seconds S] [--warmup W] [--counts "100 1000 10000"] [--kinds "..."] [--size B]
#
# Writes docs/src/docs/asciidoc/_lab7-bench.adoc (the table, included by lab7.adoc) and
# docs/src/docs/asciidoc/images/lab7-bench.svg (the chart). Not a test: the figures depend on the
# machine and on its load, which the table states. Needs JDK 21+ (JAVA_HOME, else Temurin 25).
set -euo pipefail

seconds=5; warmup=2; counts="100 1000 10000"; kinds="thread pool virtual selector netty"; size=64
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --counts) counts=$2; shift 2 ;;
    --kinds) kinds=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    *) echo "usage: $0 [--seconds S] [--warmup W] [--counts \"100 1000 10000\"] [--kinds \"thread pool virtual selector netty\"] [--size B]" >&2; exit 64 ;;
  esac
done

cd "$(dirname "$0")/.."            # labs/
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java="$JAVA_HOME/bin/java"
feature=$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
if [ "${feature%%.*}" -lt 21 ]; then
  echo "lab 7's benchmark needs JDK 21 or later (virtual threads); JAVA_HOME is JDK $feature" >&2; exit 1
fi

../mvnw -q -o -Psolutions -pl kit,lab4,lab7 test-compile
work=$(mktemp -d "${TMPDIR:-/tmp}/lab7-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
../mvnw -q -o -Psolutions -pl lab7 dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/lab7.cp"
../mvnw -q -o -pl kit dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile="$work/kit.cp"
server_cp="lab7/target/solutions/classes:lab7/target/solutions/test-classes:lab4/target/solutions/classes:$(cat "$work/lab7.cp")"
load_cp="kit/target/classes:$(cat "$work/kit.cp")"

results="$work/results.txt"; : > "$results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# What else uses the CPU, over 2 s before the first row (the load average lags by minutes and counts
# runnable threads, so it cannot tell an idle machine right after another benchmark from a busy one).
cpu() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat; }
read -r busy0 total0 < <(cpu); sleep 2; read -r busy1 total1 < <(cpu)
busy_before=$(( 100 * (busy1 - busy0) / (total1 - total0 > 0 ? total1 - total0 : 1) ))
for n in $counts; do
  for kind in $kinds; do
    fifo="$work/in-$kind-$n"; mkfifo "$fifo"
    "$java" -Xmx2g -cp "$server_cp" org.tcpworkbook.lab7.BenchServer "$kind" < "$fifo" > "$work/out-$kind-$n" 2> "$work/err-$kind-$n" &
    server=$!
    exec 9> "$fifo"                                 # the server serves until this closes
    for _ in $(seq 100); do grep -q '^PORT' "$work/out-$kind-$n" 2>/dev/null && break; sleep 0.1; done
    if ! grep -q '^PORT' "$work/out-$kind-$n"; then
      echo "RESULT label=$kind connections=$n connected=0 failed_to_start=1" >> "$results"; exec 9>&-; kill "$server" 2>/dev/null || true; continue
    fi
    read -r _ port _ pid < "$work/out-$kind-$n"
    echo "== $kind, $n connections (server pid $pid, port $port)" >&2
    line=$(timeout $((seconds + warmup + 90)) "$java" -Xmx1g -cp "$load_cp" org.tcpworkbook.kit.load.LoadGenerator \
        --port "$port" --connections "$n" --size "$size" --seconds "$seconds" --warmup "$warmup" --threads 2 \
        --pid "$pid" --label "$kind" 2> "$work/load-err" | grep '^RESULT' || true)
    [ -n "$line" ] || line="RESULT label=$kind connections=$n connected=0 load_failed=1 $(head -c 200 "$work/load-err" | tr '\n ' '__')"
    echo "$line" | tee -a "$results" >&2
    exec 9>&-
    for _ in $(seq 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

docs=../docs/src/docs/asciidoc
field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }
{
  echo "// Made by labs/bench/lab7-bench.sh on $(date -u '+%Y-%m-%d %H:%M') UTC: do not edit by hand."
  echo "Measured $(date -u '+%Y-%m-%d') on $(nproc) cores, JDK $feature, lines of $size bytes, closed loop"
  echo "(each connection sends its next line when the echo of the last arrives), ${warmup} s warm-up and ${seconds} s"
  if [ "$busy_before" -lt 10 ]; then
    echo "measured per row, once; the CPU was ${busy_before}% busy in the 2 s before the run (otherwise idle; the load"
    echo "average, $load_before before and $load_after after, counts runnable threads, the benchmark's own among them)."
  else
    echo "measured per row, once; the CPU was ${busy_before}% busy in the 2 s before the run (other jobs shared the"
    echo "machine: the figures are noisy, compare the rows with each other rather than with another machine)."
  fi
  echo
  echo '[cols=">1,<2,>1,>2,>1,>1,>1,>1",options="header"]'
  echo '|==='
  echo '|connections |server |held at end |echoes/s |p50 µs |p99 µs |server RSS MB |server threads'
  while read -r r; do
    echo "|$(field "$r" connections) |$(field "$r" label) |$(field "$r" open_at_end) |$(field "$r" throughput) |$(field "$r" p50_us) |$(field "$r" p99_us) |$(field "$r" server_rss_mb) |$(field "$r" server_threads)"
  done < "$results"
  echo '|==='
} > "$docs/_lab7-bench.adoc"

# The chart: echoes per second, one group of bars per connection count, one bar per server.
awk -v counts="$counts" -v kinds="$kinds" '
  { for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    t[f["connections"] "," f["label"]] = f["throughput"] + 0; if (f["throughput"] + 0 > max) max = f["throughput"] + 0 }
  END {
    nc = split(counts, C, " "); nk = split(kinds, K, " ");
    colour["thread"] = "#9e9e9e"; colour["pool"] = "#bdbdbd"; colour["virtual"] = "#1e88e5"; colour["selector"] = "#43a047"; colour["netty"] = "#fb8c00";
    w = 720; h = 360; left = 70; bottom = 300; top = 40; gw = (w - left - 20) / nc; bw = gw / (nk + 1);
    if (max == 0) max = 1;
    printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"14\">\n", w, h + 30;
    printf "<text x=\"%d\" y=\"20\" font-size=\"16\">Line echo over loopback: echoes per second (higher is better)</text>\n", left;
    printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", left, bottom, w - 10, bottom;
    for (g = 0; g <= 4; g++) { v = max * g / 4; y = bottom - (bottom - top) * g / 4;
      printf "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eeeeee\"/>\n", left - 5, y + 4, v, left, y, w - 10, y }
    for (i = 1; i <= nc; i++) {
      x0 = left + (i - 1) * gw + bw / 2;
      printf "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s connections</text>\n", x0 + nk * bw / 2, bottom + 18, C[i];
      for (j = 1; j <= nk; j++) { v = t[C[i] "," K[j]]; bh = (bottom - top) * v / max;
        printf "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s, %s connections: %d echoes/s</title></rect>\n", x0 + (j - 1) * bw, bottom - bh, bw - 2, bh, colour[K[j]], K[j], C[i], v }
    }
    for (j = 1; j <= nk; j++) {
      printf "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>\n", left + (j - 1) * 120, h + 8, colour[K[j]], left + (j - 1) * 120 + 16, h + 18, K[j] }
    print "</svg>"
  }' "$results" > "$docs/images/lab7-bench.svg"
echo "load average before / after: $load_before / $load_after" >&2
echo "wrote $docs/_lab7-bench.adoc and $docs/images/lab7-bench.svg" >&2
