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
