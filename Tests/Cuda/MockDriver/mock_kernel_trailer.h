/* Mock NVRTC only: after the kernel source. Defines the emulated indices and the helpers that the generated
   per-kernel entry points (qs_mock_launch_NAME, qs_mock_signature_NAME) use to unpack cuLaunchKernel's
   void** parameter array with each kernel's own parameter types. */
thread_local qs_mock_uint3 blockIdx, threadIdx, blockDim, gridDim;

extern "C" void qs_mock_set_indices(unsigned int block, unsigned int thread, unsigned int blockSize, unsigned int gridSize)
{
    blockIdx = { block, 0, 0 };
    threadIdx = { thread, 0, 0 };
    blockDim = { blockSize, 1, 1 };
    gridDim = { gridSize, 1, 1 };
}

template <class T> constexpr char qs_mock_kind()
{
    if constexpr (std::is_pointer_v<T>) return 'p';
    else if constexpr (std::is_same_v<T, int>) return 'i';
    else if constexpr (std::is_same_v<T, long long>) return 'l';
    else if constexpr (std::is_same_v<T, float>) return 'f';
    else if constexpr (std::is_same_v<T, double>) return 'd';
    else return '?';
}

template <class... A> const char* qs_mock_signature(void (*)(A...))
{
    static const char s[] = { qs_mock_kind<A>()..., '\0' };
    return s;
}

template <class... A, std::size_t... I> void qs_mock_invoke(void (*f)(A...), void** p, std::index_sequence<I...>)
{
    f(*static_cast<A*>(p[I])...);
}

template <class... A> void qs_mock_call(void (*f)(A...), void** p) { qs_mock_invoke(f, p, std::index_sequence_for<A...>{}); }
