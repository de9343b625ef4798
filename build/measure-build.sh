#!/usr/bin/env bash
# Build-time figures of issue #11: a project of 100 [Reduction] methods (five formula shapes at
# dimensions 1-4), built against this checkout's generator and runtime.
#   bash build/measure-build.sh [--gradients] [--package] [--keep DIR]
# Prints the generated source size, the dll size, a clean build of the project (runtime and
# generator already built), the rebuild after editing one formula (median of three edits, quiet
# verbosity) twice: with the build servers as this environment sets them, and with .NET's
# defaults (the compiler server and MSBuild node reuse on, as on a developer's machine; this
# sandbox turns both off through UseSharedCompilation=false and MSBUILDDISABLENODEREUSE=1), and
# the generator's own time in a further rebuild (csc's -p:ReportAnalyzer=true report).
# --gradients requests GradientOrder = 1 on every method. --package references the KeOpsGen
# package packed from this checkout, as a user's project does, instead of the repository's
# projects (whose up-to-date checks MSBuild otherwise walks in every build). Times are wall-clock: quote them with
# the machine's load.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
gradients=""
package=""
dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --gradients) gradients=", GradientOrder = 1" ;;
    --package) package=1 ;;
    --keep) dir="$2"; shift ;;
    *) echo "usage: $0 [--gradients] [--package] [--keep DIR]" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$dir" ]; then
  dir="$(mktemp -d)"
  trap 'rm -rf "$dir"' EXIT
fi
mkdir -p "$dir"

if [ -n "$package" ]; then
  # A version of its own, restored into the project's own folder: never a stale 0.1.0 from the
  # global NuGet cache.
  version="0.1.0-measure.$(date +%s)"
  dotnet pack "$repo/src/Runtime/KeOpsGen.Runtime.csproj" -c Release -o "$dir/feed" -p:Version="$version" -v:q -nologo > "$dir/pack.log" 2>&1 || { tail -30 "$dir/pack.log"; exit 1; }
  for f in Directory.Build.props Directory.Build.targets Directory.Packages.props; do echo "<Project />" > "$dir/$f"; done
  cat > "$dir/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="keopsgen-local" value="$dir/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
EOF
  reference="<ItemGroup><PackageReference Include=\"KeOpsGen\" Version=\"$version\" /></ItemGroup>"
  packages='<RestorePackagesPath>$(MSBuildProjectDirectory)/packages</RestorePackagesPath>'
else
  reference="<Import Project=\"$repo/build/LocalConsumer.props\" />"
  packages=""
fi
cat > "$dir/Bench100.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <KeOpsGenReferenceGeneratorAssembly>false</KeOpsGenReferenceGeneratorAssembly>
    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
    $packages
  </PropertyGroup>
  $reference
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

rebuild() { # $1: M050's new constant; one edit, one rebuild; prints its seconds
  write_kernels "$1"
  local start
  start=$(date +%s.%N)
  dotnet build -c Release --no-restore -v:q -nologo > rebuild.log 2>&1 || { tail -30 rebuild.log >&2; exit 1; }
  echo "$(date +%s.%N) - $start" | bc
}
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }

as_set=()
for k in 3 4 5; do as_set+=("$(rebuild "$k")"); done
servers=()
(
  unset UseSharedCompilation MSBUILDDISABLENODEREUSE DOTNET_CLI_USE_MSBUILD_SERVER
  # The first build with servers on starts them; the three timed edits come after it.
  rebuild 6 > /dev/null
  for k in 7 8 9; do rebuild "$k"; done
) > servers.txt
mapfile -t servers < servers.txt
# The compiler server and MSBuild nodes started above would otherwise outlive the script.
(unset UseSharedCompilation MSBUILDDISABLENODEREUSE; dotnet build-server shutdown > /dev/null 2>&1 || true)

write_kernels 99
dotnet build -c Release --no-restore -nologo -v:d -p:ReportAnalyzer=true > analyzers.log 2>&1 || { tail -30 analyzers.log; exit 1; }
generator=$(grep -m1 -E '^\s*[0-9.<]+\s+[0-9]+\s+KeOpsGen\.Generator\.ReductionGenerator' analyzers.log | awk '{print $1}' || true)

consumer="referencing the repository's projects"
[ -n "$package" ] && consumer="referencing the packed KeOpsGen package"
printf 'methods: 100%s, %s\n' "${gradients:+ (GradientOrder = 1)}" "$consumer"
printf 'generated source: %.2f MB (%d bytes)\n' "$(echo "$generated / 1000000" | bc -l)" "$generated"
printf 'dll: %.2f MB\n' "$(echo "$dll / 1000000" | bc -l)"
printf 'clean build of the project: %.1f s\n' "$clean"
printf 'rebuild after editing one formula, build servers as this environment sets them: %.1f s (median of %s)\n' "$(median3 "${as_set[@]}")" "$(printf '%.1f ' "${as_set[@]}")"
printf 'rebuild after editing one formula, .NET default build servers: %.1f s (median of %s)\n' "$(median3 "${servers[@]}")" "$(printf '%.1f ' "${servers[@]}")"
printf 'generator time in a rebuild (ReportAnalyzer): %s s\n' "${generator:-not found in the log}"
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
