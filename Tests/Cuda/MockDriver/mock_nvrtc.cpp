// A test-only stand-in for NVRTC (libnvrtc.so): same C entry points, but the "compilation" builds the CUDA view of the
// given source with g++ into a host shared library (mock_kernel_prelude.h before it, mock_kernel_trailer.h and one
// launch/signature entry point per kernel after it) and the "PTX" names that library for the mock libcuda.so.1
// (mock_cuda.cpp) to load. Options are checked strictly: exactly the four that QSim passes are accepted.
// Build: g++ -std=c++17 -shared -fPIC -DQSIM_MOCK_DIR="\"$dir\"" -o libnvrtc-mock.so mock_nvrtc.cpp
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
#include <unistd.h>

#ifndef QSIM_MOCK_DIR
#error "build with -DQSIM_MOCK_DIR=\"<folder of mock_kernel_prelude.h>\""
#endif

namespace
{
struct Program
{
    std::string source, name, log, image;
};

std::string ReadFile(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> KernelNames(const std::string& source)
{
    std::vector<std::string> names;
    const std::string marker = "QS_KERNEL void ";
    for (size_t at = source.find(marker); at != std::string::npos; at = source.find(marker, at + 1))
    {
        size_t start = at + marker.size(), end = start;
        while (end < source.size() && (isalnum((unsigned char)source[end]) || source[end] == '_')) ++end;
        if (end > start) names.push_back(source.substr(start, end - start));
    }
    return names;
}

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

bool AllDigits(const std::string& s, size_t from)
{
    if (from >= s.size()) return false;
    for (size_t i = from; i < s.size(); ++i) if (!isdigit((unsigned char)s[i])) return false;
    return true;
}
} // namespace

extern "C" {

int nvrtcVersion(int* major, int* minor)
{
    *major = 12;
    *minor = 4;
    return 0;
}

const char* nvrtcGetErrorString(int result)
{
    switch (result)
    {
        case 0: return "NVRTC_SUCCESS";
        case 3: return "NVRTC_ERROR_INVALID_INPUT";
        case 4: return "NVRTC_ERROR_INVALID_PROGRAM";
        case 5: return "NVRTC_ERROR_INVALID_OPTION";
        case 6: return "NVRTC_ERROR_COMPILATION";
        default: return "NVRTC_ERROR unknown";
    }
}

int nvrtcGetNumSupportedArchs(int* count)
{
    *count = 5;
    return 0;
}

int nvrtcGetSupportedArchs(int* archs)
{
    const int supported[] = { 75, 80, 86, 89, 90 };
    memcpy(archs, supported, sizeof supported);
    return 0;
}

int nvrtcCreateProgram(void** program, const char* source, const char* name, int numHeaders, const char* const*, const char* const*)
{
    if (!program || !source || numHeaders != 0) return 3;
    *program = new Program{ source, name ? name : "default_program", "", "" };
    return 0;
}

int nvrtcDestroyProgram(void** program)
{
    if (!program || !*program) return 4;
    delete static_cast<Program*>(*program);
    *program = nullptr;
    return 0;
}

int nvrtcCompileProgram(void* handle, int numOptions, const char* const* options)
{
    auto* p = static_cast<Program*>(handle);
    if (!p) return 4;
    std::string defines;
    bool arch = false, defaultDevice = false, std17 = false, precision = false;
    for (int i = 0; i < numOptions; ++i)
    {
        std::string o = options[i];
        if (o == "-DQS_DOUBLE=0" || o == "-DQS_DOUBLE=1") { defines += " " + o; precision = true; }
        else if (StartsWith(o, "--gpu-architecture=compute_") && AllDigits(o, strlen("--gpu-architecture=compute_"))) arch = true;
        else if (o == "-default-device") defaultDevice = true;
        else if (o == "--std=c++17") std17 = true;
        else { p->log = "mock nvrtc: unexpected option '" + o + "'"; return 5; }
    }
    if (!(arch && defaultDevice && std17 && precision))
    {
        p->log = "mock nvrtc: expected -DQS_DOUBLE=0|1, --gpu-architecture=compute_XY, -default-device and --std=c++17";
        return 5;
    }

    char dir[] = "/tmp/qsim-mock-nvrtc-XXXXXX";
    if (!mkdtemp(dir)) { p->log = "mock nvrtc: mkdtemp failed"; return 11; }
    std::string base = dir, cpp = base + "/kernels.cpp", so = base + "/kernels.so", log = base + "/log.txt";
    std::vector<std::string> names = KernelNames(p->source);
    {
        std::ofstream out(cpp);
        out << "#include \"" QSIM_MOCK_DIR "/mock_kernel_prelude.h\"\n#line 1 \"" << p->name << "\"\n" << p->source
            << "\n#include \"" QSIM_MOCK_DIR "/mock_kernel_trailer.h\"\n";
        for (const auto& n : names)
        {
            out << "extern \"C\" void qs_mock_launch_" << n << "(void** p) { qs_mock_call(&" << n << ", p); }\n"
                << "extern \"C\" const char* qs_mock_signature_" << n << "() { return qs_mock_signature(&" << n << "); }\n";
        }
    }
    std::string command = "g++ -std=c++17 -O2 -shared -fPIC -Wall -D__CUDACC_RTC__" + defines + " -o " + so + " " + cpp + " > " + log + " 2>&1";
    int rc = system(command.c_str());
    p->log = ReadFile(log);
    if (rc != 0) return 6;
    std::string ptx = "// QSIM MOCK MODULE " + so + "\n";
    for (const auto& n : names) ptx += ".visible .entry " + n + "(\n";
    if (defines.find("QS_DOUBLE=1") != std::string::npos) ptx += "// computes in .f64\n";
    p->image = ptx;
    return 0;
}

int nvrtcGetProgramLogSize(void* handle, size_t* size)
{
    auto* p = static_cast<Program*>(handle);
    if (!p || !size) return 3;
    *size = p->log.size() + 1;
    return 0;
}

int nvrtcGetProgramLog(void* handle, char* log)
{
    auto* p = static_cast<Program*>(handle);
    if (!p || !log) return 3;
    memcpy(log, p->log.c_str(), p->log.size() + 1);
    return 0;
}

int nvrtcGetPTXSize(void* handle, size_t* size)
{
    auto* p = static_cast<Program*>(handle);
    if (!p || !size || p->image.empty()) return 4;
    *size = p->image.size() + 1;
    return 0;
}

int nvrtcGetPTX(void* handle, char* ptx)
{
    auto* p = static_cast<Program*>(handle);
    if (!p || !ptx || p->image.empty()) return 4;
    memcpy(ptx, p->image.c_str(), p->image.size() + 1);
    return 0;
}

} // extern "C"
