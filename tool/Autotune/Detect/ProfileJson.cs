using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Autotune.Search;

namespace Autotune.Detect;

/// <summary>
/// The JSON form of a <see cref="ModelProfile"/> (`autotune detect --json`), schema
/// "autotune.detect/1", documented in docs/detect-schema.md and pinned by tests. Property order is
/// fixed; new properties may be added within version 1, none are removed or renamed.
/// </summary>
public static class ProfileJson
{
    public const string Schema = "autotune.detect/1";

    public static string Write(ModelProfile p)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("modelDir", p.ModelDir);
            w.WriteNumber("files", p.FileCount);
            w.WriteNumber("lines", p.LineCount);

            w.WriteStartObject("framework");
            w.WriteString("name", FrameworkNames.Display(p.Framework.Primary));
            w.WriteStartArray("all");
            foreach (var f in p.Framework.All) w.WriteStringValue(FrameworkNames.Display(f));
            w.WriteEndArray();
            WriteEvidence(w, p.Framework.Evidence);
            w.WriteEndObject();

            w.WriteStartObject("architecture");
            w.WriteString("name", p.Architecture.Kind.ToString());
            w.WriteStartObject("layers");
            foreach (var (name, count) in p.Architecture.Layers) w.WriteNumber(name, count);
            w.WriteEndObject();
            WriteEvidence(w, p.Architecture.Evidence);
            w.WriteEndObject();

            w.WriteStartObject("device");
            w.WriteBoolean("cuda", p.Device.AsksForCuda);
            w.WriteBoolean("cpuFallback", p.Device.FallsBackToCpu);
            WriteEvidence(w, p.Device.Evidence);
            w.WriteEndObject();

            if (p.EntryPoint is { } e)
            {
                w.WriteStartObject("entryPoint");
                w.WriteString("file", e.File);
                w.WriteNumber("line", e.Line);
                w.WriteString("kind", e.Kind);
                w.WriteEndObject();
            }
            else w.WriteNull("entryPoint");

            if (p.Block is { } b) WriteBlock(w, b);
            else w.WriteNull("block");

            w.WriteStartObject("image");
            w.WriteString("name", p.Image.Name);
            w.WriteString("source", p.Image.Evidence.File);
            w.WriteEndObject();

            w.WriteStartObject("versions");
            if (p.Runtime.DotNet is { } dotnet) w.WriteString("dotnet", dotnet); else w.WriteNull("dotnet");
            w.WriteStartObject("packages");
            foreach (var (id, version) in p.Runtime.Packages) w.WriteString(id, version);
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartArray("problems");
            foreach (var problem in p.Problems)
            {
                w.WriteStartObject();
                w.WriteString("severity", problem.IsError ? "error" : "warning");
                w.WriteString("file", problem.File);
                w.WriteNumber("line", problem.Line);
                w.WriteNumber("column", problem.Column);
                w.WriteString("message", problem.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteBlock(Utf8JsonWriter w, HyperparameterBlock b)
    {
        w.WriteStartObject("block");
        w.WriteString("file", b.File);
        w.WriteNumber("line", b.Line);
        w.WriteString("class", b.ClassName);
        w.WriteNumber("spanStart", b.SpanStart);
        w.WriteNumber("spanLength", b.SpanLength);
        w.WriteStartArray("parameters");
        foreach (var p in b.Parameters)
        {
            w.WriteStartObject();
            w.WriteString("name", p.Name);
            w.WriteString("type", p.Type);
            w.WritePropertyName("current");
            WriteValue(w, p.Current);
            w.WritePropertyName("domain");
            WriteDomain(w, p.Domain);
            w.WriteString("declared", p.Attributes);
            w.WriteNumber("line", p.Line);
            w.WriteBoolean("used", p.IsUsed);
            if (p.FirstUse is { } use) w.WriteString("firstUse", $"{use.File}:{use.Line}");
            else w.WriteNull("firstUse");
            if (p.Parameter.When is { } when)
            {
                w.WriteStartObject("when");
                w.WriteString("parameter", when.Parent);
                if (when.AtLeast is { } k) w.WriteNumber("atLeast", k);
                else
                {
                    w.WriteStartArray("values");
                    foreach (var v in when.Values) WriteValue(w, v);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            else w.WriteNull("when");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteDomain(Utf8JsonWriter w, Domain d)
    {
        w.WriteStartObject();
        switch (d)
        {
            case IntRange r:
                w.WriteString("kind", "int");
                w.WriteNumber("min", r.Min);
                w.WriteNumber("max", r.Max);
                w.WriteNumber("step", r.Step);
                w.WriteBoolean("log", r.Log);
                break;
            case RealRange r:
                w.WriteString("kind", "real");
                w.WriteNumber("min", r.Min);
                w.WriteNumber("max", r.Max);
                w.WriteBoolean("log", r.Log);
                break;
            case Choice c:
                w.WriteString("kind", "choice");
                w.WriteStartArray("values");
                foreach (var v in c.Values) WriteValue(w, v);
                w.WriteEndArray();
                break;
        }
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, object value)
    {
        switch (value)
        {
            case long l: w.WriteNumberValue(l); break;
            case double d: w.WriteNumberValue(d); break;
            case bool b: w.WriteBooleanValue(b); break;
            default: w.WriteStringValue(value.ToString()); break;
        }
    }

    private static void WriteEvidence(Utf8JsonWriter w, IEnumerable<Evidence> evidence)
    {
        w.WriteStartArray("evidence");
        foreach (var e in evidence)
        {
            w.WriteStartObject();
            w.WriteString("file", e.File);
            w.WriteNumber("line", e.Line);
            w.WriteString("why", e.Why);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
