using OrtGmt.Layout;

namespace OrtGmt.Optimizers;

// Compile-time switches for the fused kernels: each mode is a struct, so the JIT specialises the
// loop per mode and the tests on Masked/Freeze fold away.
internal interface IKeepMode
{
    static abstract bool Masked { get; }
    static abstract bool Freeze { get; }
}

internal struct KeepAllMode : IKeepMode
{
    public static bool Masked => false;
    public static bool Freeze => false;
}

internal struct FreezeMode : IKeepMode
{
    public static bool Masked => true;
    public static bool Freeze => true;
}

internal struct ZeroGradMode : IKeepMode
{
    public static bool Masked => true;
    public static bool Freeze => false;
}

/// <summary>Argument checks shared by the optimizers.</summary>
internal static class SegmentWalk
{
    public static void CheckBuffers(FlatLayout? layout, int parameters, int gradients, int state)
    {
        if (gradients != parameters) throw new ArgumentException($"the gradient buffer has {gradients} elements, the parameter buffer {parameters}");
        if (state != parameters) throw new ArgumentException($"the optimizer state has {state} elements, the parameter buffer {parameters}");
        layout?.CheckLength(parameters, "the parameter buffer");
    }
}
