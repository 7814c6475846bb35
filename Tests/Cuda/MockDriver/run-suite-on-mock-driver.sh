#!/usr/bin/env bash
# Runs every CUDA test of the suite against a MOCK driver and a MOCK NVRTC built here with g++ (mock_cuda.cpp,
# mock_nvrtc.cpp): QSim's whole CUDA host path runs end to end (discovery, contexts on every thread, allocation and
# free-memory checks, copies, the argument arena, NVRTC options, module loading, argument marshalling, launch
# geometry) while the kernels - the very source string QSim hands to NVRTC, built by g++ - run on the CPU by
# emulating the grid. Streams are asynchronous worker threads with a delay per operation (QSIM_MOCK_OP_DELAY_US,
# default 20 µs), so host code that reuses memory before the stream is done fails here. It verifies the host code,
# not a GPU: device code generation, the real driver's behaviour and performance are not covered.
# Needs g++ and a Release build (dotnet build QSim.sln -c Release). CudaMockDriverTests runs the same in the suite.
# Arguments: an optional --where REGEX for the test runner (default: every CUDA fixture and test).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="$(mktemp -d /tmp/qsim-mock-driver-XXXXXX)"
trap 'rm -rf "$out" /tmp/qsim-mock-nvrtc-*' EXIT

g++ -std=c++17 -O2 -shared -fPIC -Wall -Werror -o "$out/libcuda.so.1" "$here/mock_cuda.cpp" -ldl
g++ -std=c++17 -O2 -shared -fPIC -Wall -Werror -DQSIM_MOCK_DIR="\"$here\"" -o "$out/libnvrtc-mock.so" "$here/mock_nvrtc.cpp"

where='\(Cuda\)|Tests\.Cuda\.'
if [[ ${1:-} == --where ]]; then where=$2; fi
runner="$root/Tests/bin/Release/net10.0/QSim.Tests.dll"
[[ -f $runner ]] || { echo "error: $runner is missing: dotnet build QSim.sln -c Release" >&2; exit 2; }

cd "$root"
LD_LIBRARY_PATH="$out${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" QSIM_NVRTC_PATH="$out/libnvrtc-mock.so" QSIM_REQUIRE_CUDA=1 \
    dotnet "$runner" --where "$where"
