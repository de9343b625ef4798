#!/usr/bin/env bash
# Build-time figures of issue #11: a project of 100 [Reduction] methods (five formula shapes at
# dimensions 1-4), built against this checkout's generator and runtime.
#   bash build/measure-build.sh [--gradients] [--keep DIR]
# Prints the generated source size, the dll size, a clean build of the project (runtime and
# generator already built), a rebuild after editing one formula, and the generator's own time in
# that rebuild (csc's -p:ReportAnalyzer=true report). --gradients requests GradientOrder = 1 on
# every method. Times are wall-clock of one run each: quote them with the machine's load.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
gradients=""
dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --gradients) gradients=", GradientOrder = 1" ;;
    --keep) dir="$2"; shift ;;
    *) echo "usage: $0 [--gradients] [--keep DIR]" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$dir" ]; then
  dir="$(mktemp -d)"
  trap 'rm -rf "$dir"' EXIT
fi
mkdir -p "$dir"

cat > "$dir/Bench100.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <KeOpsGenReferenceGeneratorAssembly>false</KeOpsGenReferenceGeneratorAssembly>
    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <Import Project="$repo/build/LocalConsumer.props" />
</Project>
EOF

write_kernels() { # $1: the constant factor of method M050's formula
  local formulas=("Exp(-G*SqDist(X,Y))*B" "Inv(1+G*SqDist(X,Y))*B" "Exp(-Sqrt(G*SqDist(X,Y)))*B" "(X|Y)*B*G" "Square(G-B)*Exp(X+Y)")
  {
    echo "using System;"
    echo "using KeOpsGen;"
    echo
    echo "namespace Bench;"
    echo
    echo "public static partial class Kernels"
    echo "{"
    for i in $(seq 0 99); do
      local shape=$((i % 5))
      local dim=$(( (i / 5) % 4 + 1 ))
      [ "$shape" -eq 4 ] && dim=1
      local f="${formulas[$shape]}"
      [ "$i" -eq 50 ] && f="$f*$1"
      printf '    [Reduction("%s", "X = Vi(%d)", "Y = Vj(%d)", "B = Vj(1)", "G = Pm(1)"%s)]\n' "$f" "$dim" "$dim" "$gradients"
      printf '    public static partial void M%03d(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);\n\n' "$i"
    done
    echo "}"
  } > "$dir/Kernels.cs"
}

cd "$dir"
write_kernels 2
# Restore and build the runtime and generator first, so the timed builds measure this project.
dotnet build -c Release -v:q -nologo > build.log 2>&1 || { tail -30 build.log; exit 1; }
rm -rf bin obj
dotnet restore -v:q -nologo > /dev/null
start=$(date +%s.%N)
dotnet build -c Release --no-restore -v:q -nologo > build.log 2>&1 || { tail -30 build.log; exit 1; }
clean=$(echo "$(date +%s.%N) - $start" | bc)

generated=$(find obj -path '*generated*' -name '*.g.cs' -print0 | xargs -0 cat | wc -c)
dll=$(stat -c %s bin/Release/net10.0/Bench100.dll)

write_kernels 3
start=$(date +%s.%N)
dotnet build -c Release --no-restore -nologo -v:d -p:ReportAnalyzer=true > rebuild.log 2>&1 || { tail -30 rebuild.log; exit 1; }
rebuild=$(echo "$(date +%s.%N) - $start" | bc)
generator=$(grep -m1 -E '^\s*[0-9.<]+\s+[0-9]+\s+KeOpsGen\.Generator\.ReductionGenerator' rebuild.log | awk '{print $1}' || true)

printf 'methods: 100%s\n' "${gradients:+ (GradientOrder = 1)}"
printf 'generated source: %.2f MB (%d bytes)\n' "$(echo "$generated / 1000000" | bc -l)" "$generated"
printf 'dll: %.2f MB\n' "$(echo "$dll / 1000000" | bc -l)"
printf 'clean build of the project: %.1f s\n' "$clean"
printf 'rebuild after editing one formula: %.1f s\n' "$rebuild"
printf 'generator time in that rebuild (ReportAnalyzer): %s s\n' "${generator:-not found in the log}"
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
