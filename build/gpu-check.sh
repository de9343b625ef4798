#!/usr/bin/env bash
# GPU check in one call: publishes samples/GpuCheck (the ILGPU kernels vs the CPU engine, then the
# GPU benchmark) self-contained and trimmed for linux-x64 into publish/gpu-check (git-ignored,
# < 60 MiB; ILGPU, ILGPU.Algorithms and System.Private.CoreLib kept untrimmed), then runs it.
# Results go to $OUT (else --out DIR, else artifacts/gpu-check): gpu-check.txt, gpu-bench.csv.
# Without a GPU the program prints "no GPU: skipped" and exits 0.
#
#   build/gpu-check.sh                 publish, then run here
#   build/gpu-check.sh --publish-only  publish, print the command for the GPU machine
#   build/gpu-check.sh --run-only      run an existing publish/gpu-check (e.g. on the GPU machine,
#                                      which needs no .NET SDK: the runtime is in the folder;
#                                      carry publish/gpu-check with the working tree)
#   further arguments go to the program: --out DIR, --max-n N, --backend IlgpuCpu (a smoke test)
set -euo pipefail
cd "$(dirname "$0")/.."

dir=publish/gpu-check
mode=${1:-}
case "$mode" in --publish-only|--run-only) shift ;; *) mode= ;; esac
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ "$mode" != "--run-only" ]; then
  rm -rf "$dir"
  # linux-x64, self-contained, trimmed: set by GpuCheckPublish in the project (see there why).
  dotnet publish samples/GpuCheck/GpuCheck.csproj -c Release -p:GpuCheckPublish=true -o "$dir" | tail -n 3
  size_mib=$(( $(du -sk "$dir" | cut -f1) / 1024 ))
  echo "published $dir (${size_mib} MiB)"
  if [ "$size_mib" -ge 60 ]; then
    echo "payload is ${size_mib} MiB, over the 60 MiB budget" >&2
    exit 1
  fi
fi

if [ "$mode" = "--publish-only" ]; then
  echo "on the GPU machine, from the repository root: build/gpu-check.sh --run-only   (results in \$OUT)"
  exit 0
fi

results=${OUT:-$(pwd)/artifacts/gpu-check}
mkdir -p "$results"
"$dir/GpuCheck" --out "$results" ${GPU_CHECK_MAX_N:+--max-n "$GPU_CHECK_MAX_N"} "$@"
echo "results in $results:"
ls "$results"
