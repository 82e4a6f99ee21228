using OrtGmt.Randomness;

namespace OrtGmt.Data.Synthetic;

/// <summary>The small shared vocabulary of the synthetic tasks (names, items, words), so pretraining text and fine-tuning tasks overlap.</summary>
internal static class Vocab
{
    public static readonly string[] Names = ["Tom", "Ana", "Ben", "Mia", "Sam", "Eva", "Leo", "Zoe", "Max", "Ivy", "Kai", "Lea"];
    public static readonly string[] Items = ["apples", "pens", "books", "cards", "eggs", "coins", "shells", "stamps", "cups", "balls"];
    public static readonly string[] Words = ["apple", "river", "stone", "cloud", "green", "light", "table", "music", "tiger", "plant", "bread", "chair", "ocean", "smile", "train", "paper"];
    public static readonly char[] Letters = "abcdefghijklmnopqrstuvwxyz".ToCharArray();
    public static readonly string[] Vars = ["x", "y", "a", "b", "n", "s", "t", "k"];

    public static T Pick<T>(Rng rng, T[] items) => items[rng.NextInt(items.Length)];

    public static int Between(Rng rng, int lo, int hi) => lo + rng.NextInt(hi - lo + 1);

    public static string Pronoun(string name) => name is "Ana" or "Mia" or "Eva" or "Zoe" or "Ivy" or "Lea" ? "She" : "He";
}
