namespace QSim.Kernels.OpenCL;

/// <summary>Finds the OpenCL devices of this machine, or says why there are none.</summary>
internal static unsafe class OpenCLDiscovery
{
    public static List<Accelerator> Discover(List<string> unavailable)
    {
        var found = new List<Accelerator>();
        int reasonsBefore = unavailable.Count;
        try
        {
            uint count;
            int status = OpenCLNative.GetPlatformIDs(0, null, &count);
            if (status == -1001 || (status == OpenCLNative.Success && count == 0))
            {
                unavailable.Add("OpenCL: the loader libOpenCL.so.1 found no platform (install a driver, e.g. Debian's pocl-opencl-icd)");
                return found;
            }
            OpenCLNative.Check(status, "clGetPlatformIDs");
            var platforms = new nint[count];
            fixed (nint* p = platforms) OpenCLNative.Check(OpenCLNative.GetPlatformIDs(count, p, null), "clGetPlatformIDs");
            foreach (nint platform in platforms)
            {
                uint devices;
                if (OpenCLNative.GetDeviceIDs(platform, OpenCLNative.DeviceTypeAll, 0, null, &devices) != OpenCLNative.Success || devices == 0) continue;
                var ids = new nint[devices];
                fixed (nint* d = ids) OpenCLNative.Check(OpenCLNative.GetDeviceIDs(platform, OpenCLNative.DeviceTypeAll, devices, d, null), "clGetDeviceIDs");
                foreach (nint device in ids)
                {
                    try
                    {
                        found.Add(new OpenCLAccelerator(platform, device));
                    }
                    catch (OpenCLException e)
                    {
                        unavailable.Add($"OpenCL: a device could not be opened: {e.Message}");
                    }
                }
            }
            if (found.Count == 0 && unavailable.Count == reasonsBefore) unavailable.Add("OpenCL: the installed platforms report no device");
        }
        catch (DllNotFoundException)
        {
            unavailable.Add("OpenCL: libOpenCL.so.1 is not installed (Debian: apt-get install ocl-icd-libopencl1 pocl-opencl-icd)");
        }
        catch (EntryPointNotFoundException e)
        {
            unavailable.Add($"OpenCL: libOpenCL.so.1 lacks an entry point QSim needs: {e.Message}");
        }
        catch (OpenCLException e)
        {
            unavailable.Add($"OpenCL: discovery failed: {e.Message}");
        }
        return found;
    }
}
