using System.Text.Json.Serialization;

namespace OrtGmt.Layout;

/// <summary>One trainable parameter: where it lives in the flat buffers and what it is.</summary>
public sealed record ParameterEntry
{
    /// <summary>Initializer name in the forward model (also the training graph's input name).</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }

    /// <summary>Tensor shape.</summary>
    [JsonPropertyName("shape")] public required long[] Shape { get; init; }

    /// <summary>Element type; "float32" for every trainable parameter today.</summary>
    [JsonPropertyName("dtype")] public string DType { get; init; } = "float32";

    /// <summary>Offset, in elements, of this parameter in the flat parameter/gradient/moment buffers.</summary>
    [JsonPropertyName("offset")] public required long Offset { get; init; }

    /// <summary>Number of elements.</summary>
    [JsonPropertyName("numel")] public required long Numel { get; init; }

    /// <summary>Category inferred from the name (or set by an override rule).</summary>
    [JsonPropertyName("category")] public ParameterCategory Category { get; init; } = ParameterCategory.Other;

    /// <summary>Transformer layer index, or null for parameters outside the layer stack.</summary>
    [JsonPropertyName("layer")] public int? Layer { get; init; }

    /// <summary>Name of the gradient output in the training graph (<c>&lt;name&gt;_grad</c>).</summary>
    [JsonPropertyName("grad")] public required string Grad { get; init; }
}
