using OrtGmt.Masking;
using OrtGmt.Onnx;
using OrtGmt.Optimizers;

namespace OrtGmt.Artifacts;

/// <summary>
/// Writes the graphs of the graph update step into an artifact folder: the optimizer over the flat
/// buffers and GMT's gradient mask, per tensor and global, for execution providers where the host
/// pass is not an option.
/// </summary>
public static class UpdateStepGraphs
{
    /// <summary>Writes optimizer_model.onnx, mask_model.onnx and mask_global_model.onnx for <paramref name="manifest"/>.</summary>
    public static void Write(ArtifactManifest manifest, string outDir)
    {
        long n = manifest.TotalElements;
        var optimizer = manifest.Optimizer == OptimizerKind.Sgd ? OptimizerGraphs.BuildSgd(n) : OptimizerGraphs.BuildAdamW(n);
        OnnxFile.Save(optimizer, Path.Combine(outDir, manifest.Files.OptimizerModel));
        var segments = manifest.Parameters.Select(p => (p.Offset, p.Numel)).ToList();
        OnnxFile.Save(GradientMaskGraphs.BuildTensorScope(segments), Path.Combine(outDir, manifest.Files.GradientMaskModel));
        OnnxFile.Save(GradientMaskGraphs.BuildGlobalScope(segments), Path.Combine(outDir, manifest.Files.GradientMaskGlobalModel));
    }
}
