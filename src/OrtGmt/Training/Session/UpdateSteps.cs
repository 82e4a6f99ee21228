using Microsoft.ML.OnnxRuntime;
using OrtGmt.Artifacts;
using OrtGmt.Layout;
using OrtGmt.Masking;
using OrtGmt.Onnx.Proto;
using OrtGmt.Optimizers;
using OrtGmt.Runtime;
using OrtGmt.Training.Update;

namespace OrtGmt.Training.Session;

/// <summary>Builds a session's update step: its mask policy, its optimizer and where they run.</summary>
internal static class UpdateSteps
{
    /// <summary>
    /// The update step <paramref name="options"/> ask for over the flat <paramref name="parameters"/>
    /// and <paramref name="gradients"/> of the artifacts in <paramref name="artifactsDir"/>.
    /// </summary>
    public static IUpdateStep Create(GmtTrainingSessionOptions options, ArtifactManifest manifest, string artifactsDir, SessionOptions sessionOptions,
        float[] parameters, float[] gradients)
    {
        var optimizer = options.Optimizer ?? manifest.Optimizer;
        var layout = FlatLayout.FromParameters(manifest.Parameters);
        var prep = new GradientPrep(options.MaxGradNorm);
        var kept = new KeptCounts(manifest.Parameters);
        var policy = MaskPolicies.Create(options.Method, options.MaskRatio, options.MaskScope, options.Seed, manifest.Parameters, Math.Max(1, options.Threads));
        try
        {
            var kind = options.UpdateStep ?? (options.Device == ExecutionDevice.Cuda ? UpdateStepKind.Graph : UpdateStepKind.Host);
            if (kind == UpdateStepKind.Host)
            {
                IFlatOptimizer host = optimizer == OptimizerKind.AdamW ? new AdamW(parameters.Length, options.AdamW) : new Sgd(parameters.Length, options.Sgd);
                return new HostUpdateStep(policy, host, layout, options.MaskMode, prep, kept, parameters, gradients);
            }
            options.AdamW.Validate();
            options.Sgd.Validate();
            var graphs = new UpdateGraphFiles(artifactsDir, manifest, sessionOptions);
            return new GraphUpdateStep(policy, layout, options.MaskMode, prep, kept, gradients,
                mask => new OptimizerGraphRunner(graphs.Optimizer(optimizer), optimizer, options.AdamW, options.Sgd, parameters, gradients, mask),
                (rule, mask, slots) => new GradientMaskGraphRunner(graphs.Mask(rule.Scope), rule, layout, gradients, mask, slots));
        }
        catch
        {
            policy.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the update graphs of an artifact folder, or builds them from the manifest where the
    /// folder's file does not fit: an optimizer other than the one the artifacts were made for, or a
    /// mask graph written before mask graphs counted what they keep.
    /// </summary>
    private sealed class UpdateGraphFiles(string dir, ArtifactManifest manifest, SessionOptions options)
    {
        public InferenceSession Optimizer(OptimizerKind kind) =>
            Open(manifest.Files.OptimizerModel, kind == manifest.Optimizer ? [] : null,
                () => kind == OptimizerKind.AdamW ? OptimizerGraphs.BuildAdamW(manifest.TotalElements) : OptimizerGraphs.BuildSgd(manifest.TotalElements));

        public InferenceSession Mask(MaskScope scope)
        {
            var segments = FlatLayout.FromParameters(manifest.Parameters).AsPairs();
            return scope == MaskScope.Global
                ? Open(manifest.Files.GradientMaskGlobalModel, [GradientMaskGraphs.KeptCountsOutput], () => GradientMaskGraphs.BuildGlobalScope(segments))
                : Open(manifest.Files.GradientMaskModel, [GradientMaskGraphs.KeptCountsOutput], () => GradientMaskGraphs.BuildTensorScope(segments));
        }

        // The file when it exists and has the outputs required (null: do not use the file), else the built model.
        private InferenceSession Open(string file, string[]? requiredOutputs, Func<ModelProto> build)
        {
            string path = Path.Combine(dir, file);
            if (requiredOutputs is not null && File.Exists(path))
            {
                var session = new InferenceSession(path, options);
                if (requiredOutputs.All(session.OutputNames.Contains)) return session;
                session.Dispose();
            }
            return new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(build()), options);
        }
    }
}
