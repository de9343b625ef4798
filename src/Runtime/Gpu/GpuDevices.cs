using System.Linq;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace KeOpsGen.Gpu;

/// <summary>
/// The process's one ILGPU <see cref="Context"/> and its accelerators, created on first use only:
/// a program that never leaves the CPU engine never loads ILGPU.
/// </summary>
internal static class GpuDevices
{
    private static readonly object s_gate = new();
    private static Context? s_context;
    private static GpuTarget? s_gpu;
    private static GpuTarget? s_cpu;
    private static bool s_gpuProbed;
    private static string s_unavailable = "no GPU was probed yet";

    /// <summary>Why <see cref="Gpu"/> is null.</summary>
    public static string UnavailableReason
    {
        get
        {
            _ = Gpu;
            return s_unavailable;
        }
    }

    /// <summary>The first CUDA GPU, else the first OpenCL GPU ILGPU supports; null when there is none.</summary>
    public static GpuTarget? Gpu
    {
        get
        {
            lock (s_gate)
            {
                if (s_gpuProbed)
                {
                    return s_gpu;
                }

                s_gpuProbed = true;
                if (!AnyDriverLibrary())
                {
                    // No driver library: say so without creating an ILGPU context at all.
                    s_unavailable = "no CUDA driver (libcuda) or OpenCL loader (libOpenCL) is installed";
                    return null;
                }

                try
                {
                    Context context = ContextLocked();
                    Device? device = context.Devices.FirstOrDefault(d => d.AcceleratorType == AcceleratorType.Cuda)
                        ?? context.Devices.FirstOrDefault(d => d.AcceleratorType == AcceleratorType.OpenCL);
                    if (device is null)
                    {
                        s_unavailable = "ILGPU found no CUDA GPU and no OpenCL 2.0 GPU it supports";
                        return null;
                    }

                    s_gpu = new GpuTarget(device.CreateAccelerator(context), fallBackOnError: false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    s_unavailable = "ILGPU could not open the GPU: " + e.Message;
                }

                return s_gpu;
            }
        }
    }

    /// <summary>ILGPU's CPU accelerator (Backend.IlgpuCpu): the GPU kernels run by CPU threads.</summary>
    public static GpuTarget Cpu
    {
        get
        {
            lock (s_gate)
            {
                return s_cpu ??= new GpuTarget(ContextLocked().CreateCPUAccelerator(0), fallBackOnError: false);
            }
        }
    }

    private static Context ContextLocked()
    {
        // EnableAlgorithms maps MathF/Math (what KMath's scalar functions call) to ILGPU's
        // intrinsics on the GPU backends; O1 keeps first-call compile times low.
        return s_context ??= Context.Create(builder => builder
            .Cuda()
            .OpenCL()
            .CPU()
            .EnableAlgorithms()
            .Optimize(OptimizationLevel.O1));
    }

    private static bool AnyDriverLibrary()
    {
        string[] names = OperatingSystem.IsWindows()
            ? new[] { "nvcuda.dll", "OpenCL.dll" }
            : OperatingSystem.IsMacOS() ? new[] { "/System/Library/Frameworks/OpenCL.framework/OpenCL" }
            : new[] { "libcuda.so.1", "libcuda.so", "libOpenCL.so.1", "libOpenCL.so" };
        foreach (string name in names)
        {
            if (NativeLibrary.TryLoad(name, out IntPtr handle))
            {
                NativeLibrary.Free(handle);
                return true;
            }
        }

        return false;
    }
}
