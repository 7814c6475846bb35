#!/usr/bin/env bash
# Publishes QSim for the GPU machine, which has the NVIDIA driver and the CUDA toolkit but no .NET: the test suite as
# a self-contained console runner (Tests/Program.cs, NUnit's own runner; NUnitLite is not in our NuGet feed) and the
# CLI, both linux-x64, self-contained, trimmed where safe (TrimMode=partial trims only the framework; QSim, NUnit and
# MathNet.Numerics keep every type, since NUnit finds tests by reflection). Output: .gpu/out/{tests,cli} (git-ignored).
# Also packs both into .gpu/qsim-gpu.tar.gz (git-ignored, ~22 MB): the one file to bring to the GPU machine, where
# .gpu/run.sh unpacks it. Prints the sizes; fails if the unpacked output exceeds the 64 MiB that may travel there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

OUT=.gpu/out
PACK=.gpu/qsim-gpu.tar.gz
LIMIT_MIB=64
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

common=(
    -c Release -r linux-x64 --self-contained
    -p:UseAppHost=true
    -p:PublishTrimmed=true -p:TrimMode=partial
    # Third-party assemblies (NUnit, MathNet, System.CommandLine) are not annotated for trimming; partial mode keeps
    # them whole, so their analysis warnings do not apply. They would fail the build under TreatWarningsAsErrors.
    -p:SuppressTrimAnalysisWarnings=true -p:ILLinkTreatWarningsAsErrors=false
    -p:SatelliteResourceLanguages=en
    -p:DebugType=none -p:GenerateDocumentationFile=false
)

rm -rf "$OUT" "$PACK"
echo "==> tests (console runner, without the VSTest adapter and test SDK)"
dotnet publish Tests/QSim.Tests.csproj "${common[@]}" -p:QSimConsoleRunner=true -o "$OUT/tests"
echo "==> CLI"
dotnet publish Cli/QSim.Cli.csproj "${common[@]}" -o "$OUT/cli"
# The next plain build restores the test project with its adapter again.

tar -C .gpu -czf "$PACK" out

echo "==> sizes"
mib() { echo "$(( ($(du -sb "$1" | cut -f1) + 524288) / 1048576 )) MiB"; }
echo "tests (self-contained runner): $(mib "$OUT/tests")"
echo "cli (self-contained):          $(mib "$OUT/cli")"
echo "together, unpacked:            $(mib "$OUT")"
echo "packed ($PACK):   $(mib "$PACK")"
total=$(du -sb "$OUT" | cut -f1)
if (( total > LIMIT_MIB * 1048576 )); then
    echo "error: $OUT is over the ${LIMIT_MIB} MiB that may travel to the GPU machine" >&2
    exit 1
fi
