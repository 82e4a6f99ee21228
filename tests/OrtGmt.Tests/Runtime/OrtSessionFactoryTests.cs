using OrtGmt.Config;
using OrtGmt.Errors;
using OrtGmt.Runtime;

namespace OrtGmt.Tests.Runtime;

public class OrtSessionFactoryTests
{
    [Test]
    public void CudaWithoutACudaProviderIsAClearError()
    {
        if (Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"))
            Assert.Inconclusive("this build has a CUDA provider; the error path cannot be reached");
        var e = Assert.Throws<OrtGmtException>(() => OrtSessionFactory.Create(ExecutionDevice.Cuda))!;
        Assert.That(e.Message, Does.Contain("CUDA").And.Contain("OrtGmtGpu=true").And.Contain("CPUExecutionProvider"));
    }

    [Test]
    public void UnknownDeviceNamesTheField()
    {
        var e = Assert.Throws<ConfigException>(() => EnumSpelling.Parse<ExecutionDevice>("tpu", "device"))!;
        Assert.That(e.Field, Is.EqualTo("device"));
    }
}
