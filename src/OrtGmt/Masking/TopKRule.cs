namespace OrtGmt.Masking;

/// <summary>GMT's selection rule: keep the entries whose |Γ| is in the top (1 − <paramref name="Ratio"/>) of their <paramref name="Scope"/>.</summary>
/// <param name="Scope">Per parameter tensor or over every trainable entry.</param>
/// <param name="Ratio">The mask ratio r: the share of entries masked.</param>
public sealed record TopKRule(MaskScope Scope, double Ratio);
