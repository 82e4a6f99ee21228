using OrtGmt.Masking;
using OrtGmt.Onnx;
using OrtGmt.Optimizers;

namespace OrtGmt.Artifacts;

/// <summary>Writes the optimizer and mask graphs of an artifact folder (the graph path for device execution providers).</summary>
public static class TrainingGraphs
{
    /// <summary>Writes optimizer_model.onnx, mask_model.onnx and mask_global_model.onnx for <paramref name="manifest"/>.</summary>
    public static void Write(ArtifactManifest manifest, string outDir)
    {
        long n = manifest.TotalElements;
        var optimizer = manifest.Optimizer == OptimizerKind.Sgd ? OptimizerGraphs.BuildSgd(n) : OptimizerGraphs.BuildAdamW(n);
        OnnxFile.Save(optimizer, Path.Combine(outDir, manifest.Files.OptimizerModel));
        var segments = manifest.Parameters.Select(p => (p.Offset, p.Numel)).ToList();
        OnnxFile.Save(MaskGraphs.BuildTensorScope(segments), Path.Combine(outDir, manifest.Files.MaskModel));
        OnnxFile.Save(MaskGraphs.BuildGlobalScope(segments), Path.Combine(outDir, manifest.Files.MaskGlobalModel));
    }
}
