#!/usr/bin/env bash
# Real-GPU check of finops-gpu-nvml: reads the GPUs through the JNI binding ('finops gpus --json')
# while a GPU load runs (if a load tool is found; idle readings otherwise) and compares every reading
# with nvidia-smi's:
#   nvidia-smi --query-gpu=uuid,name,memory.total,memory.used,power.draw,utilization.gpu --format=csv
# GPM (Hopper and later, driver R525+): finops' SM activity, SM occupancy and tensor activity against
#   nvidia-smi dmon --gpm-metrics 2,3,5   (the NVML_GPM_METRIC_* ids SM_UTIL, SM_OCCUPANCY, ANY_TENSOR_UTIL)
# taken over the same seconds; GPUs without GPM must say so in finops ("gpm" is not "supported") and
# carry compute_utilization_source "nvml_kernel_time".
# MIG: the GPU instances finops lists against 'nvidia-smi mig -lgi' and the MIG UUIDs against
#   'nvidia-smi -L' (skipped where no GPU is in MIG mode).
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
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
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
# Does this nvidia-smi have GPM in dmon (R525+)? One short probe; its output is kept for the record.
gpm_dmon=0
if nvidia-smi dmon --gpm-metrics 2,3,5 -c 1 >"$work/dmon-probe.txt" 2>&1; then
  gpm_dmon=1
else
  echo "gpu-check: this nvidia-smi has no 'dmon --gpm-metrics' (driver before R525): GPM not compared"
fi
nvidia-smi -L >"$work/smi-L.txt" 2>&1 || true
nvidia-smi mig -lgi >"$work/mig-lgi.txt" 2>&1 || true

for i in $(seq 1 "$readings"); do
  # one reading each over the same seconds: finops waits one GPM interval (1 s) before reading, dmon
  # prints two 1-second intervals; the tools still sample at slightly different moments
  if [ "$gpm_dmon" = 1 ]; then
    nvidia-smi dmon --gpm-metrics 2,3,5 -c 2 -d 1 >"$work/dmon-$i.txt" 2>&1 &
    dmon_pid=$!
  fi
  java -jar "$jar" gpus --json >"$work/finops-$i.json"
  nvidia-smi --query-gpu=uuid,name,memory.total,memory.used,power.draw,utilization.gpu \
    --format=csv,noheader,nounits >"$work/smi-$i.csv"
  if [ "$gpm_dmon" = 1 ]; then wait "$dmon_pid" || true; fi
  sleep 1
done
nvidia-smi --query-gpu=index,uuid --format=csv,noheader >"$work/smi-index.csv"

python3 - "$work" "$readings" "$gpm_dmon" <<'PY'
import csv, json, os, re, sys

work, n, gpm_dmon = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
index_of = {}  # uuid -> nvidia-smi index
for row in csv.reader(open(os.path.join(work, "smi-index.csv")), skipinitialspace=True):
    if len(row) == 2:
        index_of[row[1].strip()] = int(row[0])

def dmon(path):
    # 'nvidia-smi dmon' prints '#'-headers (names, then units) and one row per GPU per interval. Keeps
    # the last row of each GPU: {gpu index: {column name (lower case): value}}; '-' is no value.
    rows, names = {}, None
    for line in open(path):
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "#":
            if names is None:
                names = [p.lower() for p in parts[1:]]
            continue
        if names is None or len(parts) != len(names) or not parts[0].isdigit():
            continue
        rows[int(parts[0])] = dict(zip(names, parts))
    return names or [], rows

def gpm_column(names, metric):
    # dmon's GPM column names differ between drivers: match by meaning, else by position after the
    # GPU index in the order asked (2, 3, 5)
    patterns = {"sm_activity": r"^sm.?(util|act)", "sm_occupancy": r"^sm.?occ", "tensor_activity": r"tensor|^tc"}
    for name in names:
        if re.search(patterns[metric], name):
            return name
    order = ["sm_activity", "sm_occupancy", "tensor_activity"]
    rest = names[1:]
    return rest[order.index(metric)] if len(rest) >= 3 else None

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
        device = next((d for d in doc["devices"] if d["uuid"] == uuid), None)
        has_gpm = device is not None and device.get("gpm") == "supported"
        if not has_gpm:
            check("no GPM, labelled", s["sm_activity_percent"] is None and
                  s["compute_utilization_source"] in ("nvml_kernel_time", "none"),
                  f"gpm {device.get('gpm') if device else None}, compute utilization from "
                  f"{s['compute_utilization_source']}")
        elif gpm_dmon and uuid in index_of:
            dnames, rows = dmon(os.path.join(work, f"dmon-{i}.txt"))
            row = rows.get(index_of[uuid])
            if row is None:
                check("dmon GPM", False, "nvidia-smi dmon printed no row for this GPU")
            for metric in ("sm_activity", "sm_occupancy", "tensor_activity"):
                col = gpm_column(dnames, metric)
                theirs = row.get(col) if row and col else None
                ours_v = s[metric + "_percent"]
                if theirs in (None, "-") or ours_v is None:
                    print(f"  info {metric}: finops {ours_v}, dmon {theirs} (not compared)")
                    continue
                # GPM figures are interval averages over slightly different seconds: 20 points
                check(metric, abs(float(ours_v) - float(theirs)) <= 20,
                      f"finops {ours_v}%, nvidia-smi dmon {col}={theirs}% (tolerance 20 points)")
            check("compute utilization source", s["compute_utilization_source"] == "gpm_sm_activity",
                  s["compute_utilization_source"])

# MIG: GPU instances per GPU against 'nvidia-smi mig -lgi', MIG UUIDs against 'nvidia-smi -L'
doc = json.load(open(os.path.join(work, f"finops-{n}.json")))
ours_gi = {(d["index"], m["gpu_instance_id"]) for d in doc["devices"] for m in d.get("mig_devices") or []}
ours_uuid = {m["uuid"] for d in doc["devices"] for m in d.get("mig_devices") or []}
lgi = open(os.path.join(work, "mig-lgi.txt")).read()
# rows of the table: '|   0  MIG 1g.10gb          19        7          0:1     |' (GPU, name, profile, instance id, placement)
theirs_gi = {(int(m.group(1)), int(m.group(2)))
             for m in re.finditer(r"^\|\s+(\d+)\s+MIG\s+\S+\s+\d+\s+(\d+)\s+\d+:\d+\s+\|", lgi, re.M)}
theirs_uuid = set(re.findall(r"\(UUID: (MIG-[^)]+)\)", open(os.path.join(work, "smi-L.txt")).read()))
if theirs_gi or ours_gi:
    print("MIG:")
    check("GPU instances", ours_gi == theirs_gi, f"finops {sorted(ours_gi)}, nvidia-smi mig -lgi {sorted(theirs_gi)}")
    check("MIG UUIDs", ours_uuid == theirs_uuid, f"finops {len(ours_uuid)}, nvidia-smi -L {len(theirs_uuid)}")
    for s in doc["samples"]:
        for m in s.get("mig_instances") or []:
            print(f"  info {m['uuid']} GI {m['gpu_instance_id']} CI {m['compute_instance_id']}: memory used "
                  f"{m['memory_used_bytes']} B, SM activity {m['sm_activity_percent']}%, processes "
                  f"{[p['pid'] for p in m['processes']]}")
else:
    print("MIG: no GPU in MIG mode (not compared)")
print("gpu-check:", "all readings agree" if failures == 0 else f"{failures} disagreement(s)")
sys.exit(1 if failures else 0)
PY
