using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrtGmt.Config;

/// <summary>
/// JSON for an enum with <see cref="EnumSpelling"/>s: written as its spelling ("zero-grad"), read from a
/// spelling in any case; a number or another name is an error listing the spellings.
/// </summary>
internal sealed class SpellingJsonConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => EnumSpelling.IsSpelled(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<T> : JsonConverter<T> where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            string? text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            return EnumSpelling.TryParse(text, out T value)
                ? value
                : throw new JsonException(EnumSpelling.NotOneOf(typeof(T), text ?? reader.TokenType.ToString()));
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(EnumSpelling.Of(value));
    }
}
