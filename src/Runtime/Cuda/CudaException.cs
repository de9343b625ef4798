using System;

namespace KeOpsGen.Cuda;

/// <summary>A CUDA driver call failed; the message names the call and the driver's error name.</summary>
public sealed class CudaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CudaException(string call, int error, string errorName, string? detail = null)
        : base($"{call} failed with {errorName} ({error}){(string.IsNullOrEmpty(detail) ? string.Empty : ": " + detail)}")
    {
        Call = call;
        Error = error;
        ErrorName = errorName;
    }

    /// <summary>The driver API function, e.g. <c>cuModuleLoadDataEx</c>.</summary>
    public string Call { get; }

    /// <summary>The CUresult value.</summary>
    public int Error { get; }

    /// <summary>The CUresult's name from <c>cuGetErrorName</c>, e.g. <c>CUDA_ERROR_INVALID_PTX</c>.</summary>
    public string ErrorName { get; }
}
