#!/usr/bin/env bash
# Runs the suite published by .gpu/publish.sh on the GPU machine (no .NET needed there), with QSIM_REQUIRE_CUDA=1 so
# that a CUDA device the backend cannot open fails every CUDA fixture instead of ignoring it, then a small CLI job on
# CUDA. Arguments go to the test runner, e.g. `.gpu/run.sh --where Cuda` (a regular expression on the full test name)
# or `.gpu/run.sh --list`. The last line of the test runner is "N passed, N failed, N skipped".
# Exit code: the test runner's (0 all passed or skipped, 1 a failure, 2 nothing ran), else the CLI's if it failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

OUT=.gpu/out
PACK=.gpu/qsim-gpu.tar.gz
if [[ ! -d $OUT && -f $PACK ]]; then
    tar -C .gpu -xzf "$PACK"
fi
if [[ ! -x $OUT/tests/QSim.Tests || ! -x $OUT/cli/qsim ]]; then
    echo "error: $OUT/tests/QSim.Tests or $OUT/cli/qsim is missing: run .gpu/publish.sh on a machine with the .NET SDK and bring $PACK (or $OUT) here" >&2
    exit 2
fi

export QSIM_REQUIRE_CUDA=1
# NVRTC comes with the toolkit, whose lib64 is often not on the loader's path (QSim also probes these folders itself).
for root in "${CUDA_HOME:-}" "${CUDA_PATH:-}" /usr/local/cuda; do
    if [[ -n $root && -d $root/lib64 ]]; then export LD_LIBRARY_PATH="$root/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; fi
done

echo "==> GPU"
nvidia-smi -L 2>/dev/null || echo "(nvidia-smi not found)"
echo "==> qsim devices"
"$OUT/cli/qsim" devices

echo "==> tests (QSIM_REQUIRE_CUDA=1)"
"$OUT/tests/QSim.Tests" "$@"
rc=$?

if [[ $# -eq 0 ]]; then
    echo "==> qsim run on CUDA (small)"
    if ! "$OUT/cli/qsim" run --accelerator cuda --precision double --qubits 20 --layers 4 --qnn-qubits 8 --batch 1024 --repeats 2; then
        echo "error: the CLI job on CUDA failed" >&2
        (( rc == 0 )) && rc=3
    fi
fi
exit $rc
