using OrtGmt.Errors;

namespace OrtGmt.Data.Templates.Jinja;

/// <summary>A chat template that cannot be used: a construct outside the supported Jinja subset, a syntax error, or a <c>raise_exception</c> call.</summary>
public sealed class ChatTemplateException(string message) : OrtGmtException(message);
