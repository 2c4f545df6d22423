#!/usr/bin/env bash
# Real-GPU check of finops-gpu-nvml: reads the GPUs through the JNI binding ('finops gpus --json')
# while a GPU load runs (if a load tool is found; idle readings otherwise) and compares every reading
# with nvidia-smi's:
#   nvidia-smi --query-gpu=uuid,name,memory.total,memory.used,power.draw,utilization.gpu --format=csv
#
# Needs: an NVIDIA GPU and driver (nvidia-smi), java 17+, python3 (for the comparison), and either
# the finops CLI jar (--jar PATH, or $FINOPS_JAR) or Maven in the source tree to build it.
#
#   finops-gpu-nvml/scripts/gpu-check.sh [--jar finops.jar] [--readings N] [--no-load]
#
# Load tools tried, in order: gpu_burn (github.com/wilicc/gpu-burn), dcgmproftester12/11 (DCGM),
# python3 with a CUDA build of torch. Exit status: 0 all readings agree within the tolerances
# below, 1 a disagreement, 2 a missing prerequisite.
set -euo pipefail

readings=5
jar="${FINOPS_JAR:-}"
load=1
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar="$2"; shift 2 ;;
    --readings) readings="$2"; shift 2 ;;
    --no-load) load=0; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

need() { command -v "$1" >/dev/null 2>&1 || { echo "gpu-check: needs $1 ($2)" >&2; exit 2; }; }
need nvidia-smi "an NVIDIA driver"
need java "a JDK or JRE 17+"
need python3 "to compare the readings"

repo="$(cd "$(dirname "$0")/../.." && pwd)"
if [ -z "$jar" ]; then
  jar="$repo/finops-examples/target/finops.jar"
  if [ ! -f "$jar" ]; then
    need mvn "to build finops.jar, or pass --jar"
    echo "gpu-check: building $jar"
    (cd "$repo" && mvn -q -B -DskipTests package -pl finops-examples -am)
  fi
fi
[ -f "$jar" ] || { echo "gpu-check: no jar at $jar" >&2; exit 2; }

work="$(mktemp -d)"
load_pid=""
cleanup() {
  if [ -n "$load_pid" ]; then kill "$load_pid" 2>/dev/null || true; wait "$load_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

seconds=$((readings * 3 + 20))
if [ "$load" = 1 ]; then
  if command -v gpu_burn >/dev/null 2>&1; then
    echo "gpu-check: load: gpu_burn $seconds"
    gpu_burn "$seconds" >"$work/load.log" 2>&1 & load_pid=$!
  elif command -v dcgmproftester12 >/dev/null 2>&1 || command -v dcgmproftester11 >/dev/null 2>&1; then
    tester="$(command -v dcgmproftester12 || command -v dcgmproftester11)"
    echo "gpu-check: load: $tester (SM activity, field 1002)"
    "$tester" --no-dcgm-validation -t 1002 -d "$seconds" >"$work/load.log" 2>&1 & load_pid=$!
  elif python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    echo "gpu-check: load: torch matmul on every GPU for ${seconds}s"
    python3 - "$seconds" >"$work/load.log" 2>&1 <<'PY' &
import sys, time, torch
end = time.time() + float(sys.argv[1])
xs = [torch.randn(8192, 8192, device=f"cuda:{i}") for i in range(torch.cuda.device_count())]
while time.time() < end:
    for x in xs:
        x @ x
    torch.cuda.synchronize()
PY
    load_pid=$!
  else
    echo "gpu-check: no load tool found (gpu_burn, dcgmproftester, torch): comparing idle readings"
  fi
  [ -n "$load_pid" ] && sleep 8 # let the load ramp up
fi

java -version 2>&1 | head -n 1
nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -n 1 | sed 's/^/driver /'
for i in $(seq 1 "$readings"); do
  # one reading each, back to back: the two tools sample at slightly different moments
  java -jar "$jar" gpus --json >"$work/finops-$i.json"
  nvidia-smi --query-gpu=uuid,name,memory.total,memory.used,power.draw,utilization.gpu \
    --format=csv,noheader,nounits >"$work/smi-$i.csv"
  sleep 1
done

python3 - "$work" "$readings" <<'PY'
import csv, json, os, sys

work, n = sys.argv[1], int(sys.argv[2])
MIB = 1 << 20
failures = 0

def check(what, ok, detail):
    global failures
    print(f"  {'ok  ' if ok else 'FAIL'} {what}: {detail}")
    failures += 0 if ok else 1

for i in range(1, n + 1):
    doc = json.load(open(os.path.join(work, f"finops-{i}.json")))
    ours = {s["uuid"]: s for s in doc["samples"]}
    names = {d["uuid"]: d for d in doc["devices"] if d["uuid"]}
    print(f"reading {i}:")
    for row in csv.reader(open(os.path.join(work, f"smi-{i}.csv")), skipinitialspace=True):
        uuid, name, total, used, power, util = [c.strip() for c in row]
        s = ours.get(uuid)
        if s is None:
            check(uuid, False, "nvidia-smi lists it, finops does not")
            continue
        print(f" {uuid} ({name})")
        check("name", names[uuid]["name"] == name, f"finops {names[uuid]['name']!r}, nvidia-smi {name!r}")
        if s["memory_total_bytes"] is not None:
            check("memory.total", s["memory_total_bytes"] // MIB == int(total),
                  f"finops {s['memory_total_bytes'] // MIB} MiB, nvidia-smi {total} MiB")
        if s["memory_used_bytes"] is not None and used not in ("[N/A]", "N/A"):
            ours_used = s["memory_used_bytes"] / MIB  # NVML v2 'used' leaves reserved memory out
            check("memory.used", abs(ours_used - float(used)) <= max(512, 0.05 * float(total)),
                  f"finops {ours_used:.0f} MiB, nvidia-smi {used} MiB (tolerance 512 MiB or 5%)")
        if s["power_mw"] is not None and power not in ("[N/A]", "N/A"):
            watts = s["power_mw"] / 1000
            check("power.draw", abs(watts - float(power)) <= max(25, 0.15 * float(power)),
                  f"finops {watts:.2f} W, nvidia-smi {power} W (tolerance 25 W or 15%)")
        if s["gpu_utilization_percent"] is not None and util not in ("[N/A]", "N/A"):
            check("utilization.gpu", abs(s["gpu_utilization_percent"] - int(util)) <= 20,
                  f"finops {s['gpu_utilization_percent']}%, nvidia-smi {util}% (tolerance 20 points)")
        print(f"  info energy {s['energy_mj']} mJ, temperature {s['temperature_c']} C, SM clock "
              f"{s['sm_clock_mhz']} MHz, processes {len(s['processes'] or [])}")
print("gpu-check:", "all readings agree" if failures == 0 else f"{failures} disagreement(s)")
sys.exit(1 if failures else 0)
PY
