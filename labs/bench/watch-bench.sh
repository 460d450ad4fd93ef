#!/usr/bin/env bash
# Save-to-report time of the watch mode, side by side with `mvn test` on the same machine.
#
#   labs/bench/watch-bench.sh [labN] [runs] [--skeleton]
#
# Starts the watch mode of labN (default lab3) on a copy of the lab's sources (the reference
# solution, so that the whole checker runs and passes; --skeleton for the student's skeleton),
# then `runs` times (default 5) appends a comment to one source file and measures, with this
# script's clock, the time from the write to the watch's report line. Then runs
# `../mvnw -q -o test -pl labN` as many times. Prints the medians, and the checker's own time as
# the watch and as surefire measured it. Not a test: the figures depend on the machine and its load.
set -euo pipefail

lab=lab3; runs=5; profile=-Psolutions; src_of() { echo "../solutions/$1/src/main/java"; }
for arg in "$@"; do
  case "$arg" in
    lab[0-9]*) lab=$arg ;;
    --skeleton) profile=; src_of() { echo "$1/src/main/java"; } ;;
    [0-9]*) runs=$arg ;;
    *) echo "usage: $0 [labN] [runs] [--skeleton]" >&2; exit 64 ;;
  esac
done

cd "$(dirname "$0")/.."            # labs/
copy=$(mktemp -d "${TMPDIR:-/tmp}/watch-bench.XXXXXX")
trap 'rm -rf "$copy"' EXIT
cp -r "$(src_of "$lab")/." "$copy/"
target=$(find "$copy" -name '*.java' | sort | head -n 1)

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

echo "lab: $lab ${profile:-(skeleton)}, $runs runs, sources copied to $copy; editing $(basename "$target")"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

# --- the watch mode ---------------------------------------------------------------------------
coproc WATCH { exec ../mvnw -q -o -pl "$lab" $profile test-compile exec:exec@watch -Dwatch.sources="$copy" 2>&1; }
await() { # await a line matching $1 from the watch, bounded; prints it
  local line
  while IFS= read -r -t 600 line <&"${WATCH[0]}"; do
    case "$line" in *"$1"*) printf '%s\n' "$line"; return 0 ;; esac
  done
  echo "no line with '$1' from the watch within 600 s" >&2; return 1
}
start=$(now_ms)
await "watch $lab: watching" >/dev/null
echo "watch: started and checked once in $(( $(now_ms) - start )) ms (Maven start, test-compile, first run)"

watch_ms=(); watch_checker=()
for i in $(seq 1 "$runs"); do
  t0=$(now_ms)
  printf '// watch-bench %s\n' "$i" >> "$target"
  line=$(await "watch $lab: report")
  t1=$(now_ms)
  watch_ms+=($(( t1 - t0 )))
  watch_checker+=("$(sed -n 's/.*checker \([0-9]*\) ms.*/\1/p' <<<"$line")")
  echo "  watch run $i: save to report $(( t1 - t0 )) ms; $line"
done
printf 'q\n' >&"${WATCH[1]}"
wait "$WATCH_PID" || true

# --- mvn test ------------------------------------------------------------------------------------
build=$lab/target; [ -n "$profile" ] && build=$lab/target/solutions
mvn_ms=(); mvn_checker=()
for i in $(seq 1 "$runs"); do
  t0=$(now_ms)
  ../mvnw -q -o -pl "$lab" $profile test >/dev/null 2>&1 || true   # a skeleton fails its checks
  t1=$(now_ms)
  mvn_ms+=($(( t1 - t0 )))
  # the checker's own time, as surefire measured it: the sum of its test classes' times
  checker=$(cat "$build"/surefire-reports/TEST-*.xml | sed -n 's/.*<testsuite [^>]*time="\([0-9.]*\)".*/\1/p' \
            | awk '{s+=$1} END {printf "%d", s*1000}')
  mvn_checker+=("$checker")
  echo "  mvn test run $i: $(( t1 - t0 )) ms (checker $checker ms)"
done

wm=$(printf '%s\n' "${watch_ms[@]}" | median); wc=$(printf '%s\n' "${watch_checker[@]}" | median)
mm=$(printf '%s\n' "${mvn_ms[@]}" | median); mc=$(printf '%s\n' "${mvn_checker[@]}" | median)
echo
printf '%-28s %12s %12s\n' "median of $runs ($lab)" "watch" "mvn test"
printf '%-28s %10s ms %10s ms\n' "save/start to report" "$wm" "$mm"
printf '%-28s %10s ms %10s ms\n' "checker's own time" "$wc" "$mc"
printf '%-28s %10s ms %12s\n' "watch overhead over checker" "$(( wm - wc ))" "(goal < 1000)"
