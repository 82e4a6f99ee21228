using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrtGmt.Config;

/// <summary>Reads and writes every enum that has <see cref="Spellings"/> as its spelling ("zero-grad", not 1 or "ZeroGrad").</summary>
public sealed class SpellingJsonConverter : JsonConverterFactory
{
    /// <inheritdoc/>
    public override bool CanConvert(Type typeToConvert) => Spellings.Has(typeToConvert);

    /// <inheritdoc/>
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<T> : JsonConverter<T> where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            string? text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            return Spellings.TryParse(typeof(T), text, out var value)
                ? (T)value
                : throw new JsonException(Spellings.NotOneOf(typeof(T), text ?? reader.TokenType.ToString()));
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Spellings.Name(value));
    }
}
