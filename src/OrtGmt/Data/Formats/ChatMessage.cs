namespace OrtGmt.Data.Formats;

/// <summary>One turn of a conversation; <see cref="Role"/> is system, user or assistant.</summary>
public sealed record ChatMessage(string Role, string Content)
{
    /// <summary>The system role.</summary>
    public const string System = "system";

    /// <summary>The user role.</summary>
    public const string User = "user";

    /// <summary>The assistant role (the only one trained by default).</summary>
    public const string Assistant = "assistant";
}
