using Autotune.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Autotune.Tests.BadInput;

/// <summary>
/// The bad-input corpus: every case runs the real tool on a tiny model and must end with its documented
/// exit code (2 invalid input, 4 the model program failed, 5 infrastructure) and exactly one line on
/// stderr (indented "  | " detail lines allowed), never a stack trace or an internal error.
/// Cases already covered elsewhere (Detect/BadInputTests, Train/TrainBadInputTests, Rewrite/HostileValueTests) are not repeated.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BadInputCorpusTests
{
    /// <summary>One bad input: how to spoil the toy model, the arguments ({m} is its folder), the code and a words of the line.</summary>
    public sealed record Case(string Args, int Code, string Says, Action<ToyModel>? Spoil = null, string? Block = ToyModel.Block, string Program = ToyModel.Program,
        string Prefix = "autotune-toy-");

    private const string Run = "run|{m}|--target|loss<0.0001|--max-trials|1|--no-apply";
    private static readonly string Hyper = ToyModel.Block;

    private static Action<ToyModel> Json(string text) => m => m.Write("autotune.json", text);
    private static Action<ToyModel> Store(Action<string> spoil) => m => { m.CreateStudy(); spoil(m.StorePath); };
    private static Action<ToyModel> Sql(string sql) => Store(path =>
    {
        using var db = new SqliteConnection($"Data Source={path};Pooling=false");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    });

    public static readonly IReadOnlyDictionary<string, Case> Cases = new Dictionary<string, Case>
    {
        // model code
        ["run: no project in the folder"] = new("run|{m}|--target|loss<1", 2, "holds no .csproj", m => File.Delete(Path.Combine(m.Folder, "Toy.csproj"))),
        ["run: two projects in the folder"] = new("run|{m}|--target|loss<1", 2, "holds 2 projects", m => m.Write("Other.csproj", ToyModel.Project())),
        ["run: the model folder is missing"] = new("run|{m}/nowhere|--target|loss<1", 2, "does not exist"),
        ["run: no block"] = new(Run, 2, "no [Hyperparameters] block", Block: null),
        ["run --no-init: no block"] = new(Run + "|--no-init", 2, "--no-init keeps literals as they are", Block: null),
        ["run: two blocks"] = new(Run, 2, "a second [Hyperparameters] class", m => m.Write("Other.cs", "[Autotune.Hyperparameters] public static class Other { [Autotune.Range(1, 3)] public const int C = 1; }")),
        ["run: a block attribute with text bounds"] = new(Run, 2, "Hyper.cs:", Block: Hyper.Replace("[Range(1, 4)]", "[Range(\"a\", \"b\")]")),
        ["run: an empty Choice"] = new(Run, 2, "Hyper.cs:", Block: Hyper.Replace("[Choice(8, 16, 32)]", "[Choice()]       ")),
        ["run: a const outside its range"] = new(Run, 2, "outside its declared space", Block: Hyper.Replace("Layers       = 2", "Layers       = 9")),
        ["run: a parameter without a space"] = new(Run, 2, "has no search space", Block: Hyper.Replace("[Range(1, 4)]", "             ")),
        ["run: a program that throws at start"] = new(Run, 4, "the model program crashed", Program: "throw new System.InvalidOperationException(\"no data for \" + Hyper.Pooling);\n"),
        ["run: a syntax error next to the block"] = new(Run, 2, "syntax error", m => m.Write("Broken.cs", "class B { void M() { int x = ; } }")),
        ["run: code that does not build"] = new(Run, 2, "does not build", Program: "using Autotune;\nvar x = Hyper.Missing;\n"),
        ["run: a program that exits non-zero"] = new(Run + "|--retries|0", 4, "exited with code 3", Program: "System.Console.WriteLine(Hyper.Layers); return 3;\n"),
        ["run: a program that reports another metric"] = new(Run, 4, "reports no metric 'loss'",
            Program: "using Autotune;\nTrial.Current.ReportEpoch(1, new Dictionary<string, double> { [\"accuracy\"] = Hyper.Layers / 10.0 });\n"),
        ["run: a program that fails itself as invalid input"] = new(Run, 2, "the data folder is empty",
            Program: "using Autotune;\nTrial.Current.Fail(TrialFailure.InvalidInput, \"the data folder is empty\" + Hyper.Pooling);\n"),
        ["run: a partial block whose second part is in another file"] = new(Run, 2, "Hyper2.cs:1:1: another part of the partial [Hyperparameters] class 'Hyper' (declared at Hyper.cs:3)",
            m => m.Write("Hyper2.cs", "public static partial class Hyper { [Autotune.Range(1, 3)] public const int Width = 2; }\n"),
            Block: Hyper.Replace("public static class Hyper", "public static partial class Hyper")),
        ["run: a source file that links out of the model folder"] = new(Run, 2, "Shared.cs: symbolic link to ",
            m => { File.WriteAllText(Path.Combine(m.Outside, "Shared.cs"), "class Shared { }\n"); m.Link("Shared.cs", Path.Combine(m.Outside, "Shared.cs")); }),
        ["run: a source folder that links out of the model folder"] = new(Run, 2, "shared: symbolic link to ",
            m => { File.WriteAllText(Path.Combine(m.Outside, "Shared.cs"), "class Shared { }\n"); m.Link("shared", m.Outside); }),
        ["run: a metrics file that is a named pipe"] = new(Run, 2, "is a named pipe (FIFO), not a regular file", m =>
            {
                m.WithoutSdk();
                Json($$"""{"metricsFile": "{{m.Fifo("../" + Path.GetFileName(m.Outside) + "/metrics.csv")}}"}""")(m);
            }, Block: null, Program: "var learningRate = 0.01;\nfor (var e = 1; e <= 2; e++) System.Console.WriteLine($\"epoch {e} loss: {learningRate / e}\");\n"),
        ["detect: a file instead of a folder"] = new("detect|{m}/Program.cs", 2, "Program.cs: is a file, not a folder"),
        ["detect: /proc"] = new("detect|/proc", 2, "/proc is on a proc file system, which holds kernel state, not files"),
        ["init: /proc"] = new("init|/proc|--dry-run", 2, "/proc is on a proc file system, which holds kernel state, not files"),
        ["run: a project file that is a named pipe"] = new(Run, 2, "Toy.csproj is a named pipe (FIFO), not a regular file",
            m => { File.Delete(Path.Combine(m.Folder, "Toy.csproj")); m.Fifo("Toy.csproj"); }),
        ["run: a file instead of a folder"] = new("run|{m}/Program.cs|--target|loss<1", 2, "Program.cs is a file, not a folder"),
        ["trials: a file instead of a folder"] = new("trials|{m}/Program.cs", 2, "Program.cs is a file, not a folder"),

        // autotune.json
        ["json: not JSON"] = new(Run, 2, "autotune.json:1:", Json("not json")),
        ["json: an empty file"] = new(Run, 2, "autotune.json", Json("")),
        ["json: a number where text belongs"] = new("run|{m}", 2, "'target' has the wrong type", Json("{\"target\": 5}")),
        ["json: text where a number belongs"] = new("run|{m}", 2, "'maxTrials' has the wrong type", Json("{\"target\": \"loss<1\", \"maxTrials\": \"ten\"}")),
        ["json: an unknown key"] = new("run|{m}", 2, "unknown key 'colour'", Json("{\"target\": \"loss<1\", \"colour\": \"red\"}")),
        ["json: an array"] = new("run|{m}", 2, "expected a JSON object", Json("[]")),
        ["json: null"] = new("run|{m}", 2, "no target", Json("null")),
        ["json: a bad target"] = new("run|{m}", 2, "only >, >=, < and <= are allowed", Json("{\"target\": \"loss=>0.1\"}")),
        ["json: an unknown strategy"] = new("run|{m}", 2, "unknown strategy 'nope'", Json("{\"target\": \"loss<1\", \"strategy\": \"nope\"}")),
        ["json: maxTrials 0"] = new("run|{m}", 2, "autotune.json:1: 'maxTrials' is 0: give a whole number from 1 to 2147483647", Json("{\"target\": \"loss<1\", \"maxTrials\": 0}")),
        ["json: a negative timeout"] = new("run|{m}", 2, "autotune.json:1: 'timeoutSeconds' is -1: give a number above 0 and below 1000000000", Json("{\"target\": \"loss<1\", \"timeoutSeconds\": -1}")),
        ["json: a seed too large for an int"] = new("run|{m}", 2, "autotune.json:1: 'seed' is 1e20: give a whole number from -2147483648 to 2147483647", Json("{\"target\": \"loss<1\", \"seed\": 1e20}")),
        ["json: an unknown device"] = new("run|{m}", 2, "--device 'tpu'", Json("{\"target\": \"loss<1\", \"device\": \"tpu\"}")),
        ["json: maxTrials 1e30"] = new("run|{m}", 2, "autotune.json:1: 'maxTrials' is 1e30: give a whole number from 1 to 2147483647", Json("{\"target\": \"loss<1\", \"maxTrials\": 1e30}")),
        ["json: maxTrials 2.5"] = new("run|{m}", 2, "'maxTrials' is 2.5: give a whole number", Json("{\"target\": \"loss<1\", \"maxTrials\": 2.5}")),
        ["json: docker cpus 0"] = new("run|{m}", 2, "autotune.json:3: 'docker.cpus' is 0: give a number above 0", Json("{\"target\": \"loss<1\",\n \"runner\": \"docker\",\n \"docker\": {\"cpus\": 0}}")),
        ["json: a key given twice"] = new("run|{m}", 2, "autotune.json:1: key 'target' is given twice", Json("{\"target\": \"loss<1\", \"target\": \"loss<0.5\"}")),
        ["json: a key given twice inside docker"] = new("run|{m}", 2, "autotune.json:3: key 'docker.image' is given twice",
            Json("{\"target\": \"loss<1\",\n \"docker\": {\"image\": \"a:1\",\n \"image\": \"b:1\"}}")),
        ["json: a parameter given twice in the space"] = new("run|{m}", 2, "key 'space.Layers' is given twice",
            Json("{\"target\": \"loss<1\", \"space\": {\"Layers\": [1, 2], \"Layers\": [1, 3]}}")),
        ["json: a study name that climbs out of the model folder"] = new("run|{m}", 2, "autotune.json: 'study' '../../escape' holds a path separator",
            Json("{\"target\": \"loss<1\", \"study\": \"../../escape\"}")),
        ["json: autotune.json links to a host file"] = new("run|{m}|--target|loss<1", 2, "leads to /etc/passwd, outside the model folder", m => m.Link("autotune.json", "/etc/passwd")),
        ["json: autotune.json is a named pipe"] = new("run|{m}|--target|loss<1", 2, "autotune.json is a named pipe (FIFO), not a regular file", m => m.Fifo("autotune.json")),
        ["json: an image catalogue that is a named pipe"] = new(Run, 2, "autotune.images.json: is a named pipe (FIFO), not a regular file", m => m.Fifo("autotune.images.json")),
        ["template: a report template that is a named pipe"] = new("report|{m}", 2, "report.html.sbn is a named pipe (FIFO), not a regular file",
            m => { m.CreateStudy(); m.Fifo("templates/report/report.html.sbn"); }),
        ["json: an image catalogue that links to a host file"] = new(Run, 2, "autotune.images.json: leads to /etc/passwd, outside the model folder",
            m => m.Link("autotune.images.json", "/etc/passwd")),
        ["json: a docker image that climbs the Engine API's paths"] = new("run|{m}", 2, "autotune.json: docker.image '../../containers/x' is not an image reference",
            Json("{\"target\": \"loss<1\", \"runner\": \"docker\", \"docker\": {\"image\": \"../../containers/x\"}}")),
        ["json: negative retries"] = new("run|{m}", 2, "autotune.json:1: 'retries' is -1: give a whole number from 0 to 2147483647", Json("{\"target\": \"loss<1\", \"retries\": -1}")),

        // command-line arguments
        ["args: an unknown strategy"] = new(Run + "|--strategy|foo", 2, "unknown strategy 'foo'"),
        ["args: --max-trials 0"] = new("run|{m}|--target|loss<1|--max-trials|0", 2, "--max-trials must be at least 1"),
        ["args: --epoch-budget 0"] = new("run|{m}|--target|loss<1|--epoch-budget|0", 2, "--epoch-budget must be at least 1"),
        ["json: epochBudget text"] = new("run|{m}", 2, "'epochBudget' has the wrong type", Json("{\"target\": \"loss<1\", \"epochBudget\": \"many\"}")),
        ["args: --max-trials -1"] = new("run|{m}|--target|loss<1|--max-trials|-1", 2, "--max-trials must be at least 1"),
        ["args: --max-trials not a number"] = new("run|{m}|--target|loss<1|--max-trials|abc", 2, "as a whole number"),
        ["args: --max-epochs 0"] = new(Run + "|--max-epochs|0", 2, "--max-epochs must be at least 1"),
        ["args: a target without comparison"] = new("run|{m}|--target|loss", 2, "Cannot read target 'loss'"),
        ["args: a target without metric"] = new("run|{m}|--target|>=0.9", 2, "Cannot read target '>=0.9'"),
        ["args: a target of NaN"] = new("run|{m}|--target|loss<NaN", 2, "no finite number"),
        ["args: no target at all"] = new("run|{m}", 2, "no target"),
        ["args: a constraint without comparison"] = new("run|{m}|--target|loss<1|--constraint|params", 2, "Cannot read constraint 'params'"),
        ["args: a constraint on the target's metric"] = new("run|{m}|--target|loss<1|--constraint|loss<0.5", 2, "bounds 'loss', the target's own metric"),
        ["args: --minimize of the target's metric"] = new("run|{m}|--target|loss<1|--minimize|params,loss", 2, "--minimize loss is the target's own metric"),
        ["args: --minimize of no metric name"] = new("run|{m}|--target|loss<1|--minimize|params<5", 2, "--minimize \"params<5\" is no metric name"),
        ["json: minimize as one text"] = new("run|{m}", 2, "'minimize' has the wrong type", Json("{\"target\": \"loss<1\", \"minimize\": \"params\"}")),
        ["json: constraints as one text"] = new("run|{m}", 2, "'constraints' has the wrong type", Json("{\"target\": \"loss<1\", \"constraints\": \"params<=5\"}")),
        ["args: --device nonsense"] = new(Run + "|--device|nonsense", 2, "--device 'nonsense'"),
        ["args: --device cuda:-1"] = new(Run + "|--device|cuda:-1", 2, "--device 'cuda:-1'"),
        ["args: --timeout 0"] = new(Run + "|--timeout|0", 2, "--timeout must be a positive"),
        ["args: --timeout NaN"] = new(Run + "|--timeout|NaN", 2, "--timeout must be a positive"),
        ["args: --timeout 1e300"] = new(Run + "|--timeout|1e300", 2, "--timeout must be a positive"),
        ["args: --retries -1"] = new(Run + "|--retries|-1", 2, "--retries must be 0 or more"),
        ["args: --seed not a number"] = new(Run + "|--seed|abc", 2, "as a whole number"),
        ["args: --notify-on sometimes"] = new(Run + "|--notify-on|sometimes", 2, "--notify-on 'sometimes'"),
        ["args: the model folder missing"] = new("run", 2, "Required argument missing"),
        ["args: an unknown option"] = new("run|{m}|--frobnicate", 2, "'--frobnicate'"),
        ["args: an unknown command"] = new("fly", 2, "'fly'"),
        ["args: apply with two sources"] = new("apply|{m}|--best|--values|Layers=2", 2, "exactly one of"),
        ["args: --values without '='"] = new("apply|{m}|--values|garbage", 2, "has no '='"),
        ["args: --values of an unknown parameter"] = new("apply|{m}|--values|Bad=1", 2, "'Bad' is not a parameter"),
        ["args: --values empty"] = new("apply|{m}|--values|", 2, "give at least one name=value"),
        ["args: --values with a name twice"] = new("apply|{m}|--values|Filters=16,Filters=32", 2, "given twice"),
        ["args: --trial of a study that does not exist"] = new("apply|{m}|--trial|3", 2, "does not exist"),
        ["args: notify to a non-address"] = new("notify|{m}|--to|not an address", 2, "is not a mail address"),

        ["args: --image with a line break"] = new(Run + "|--runner|docker|--image|autotune/x:1\nFROM evil", 2, "--image 'autotune/x:1\\nFROM evil' is not an image reference"),
        ["args: --image with '..'"] = new(Run + "|--runner|docker|--image|../../containers/json", 2, "is not an image reference"),

        // study names are folder names
        ["study: a name that climbs out of the model folder"] = new(Run + "|--study|../../escape", 2, "--study '../../escape' holds a path separator"),
        ["study: a name with a backslash"] = new(Run + "|--study|a\\b", 2, "holds a path separator"),
        ["study: '..' as a name"] = new("trials|{m}|--study|..", 2, "--study '..' holds '..'"),
        ["study: a name of 300 characters"] = new(Run + "|--study|" + new string('s', 300), 2, "has 300 characters, more than 100"),
        ["study: a name with a line break"] = new("report|{m}|--study|Toy\nautotune: forged", 2, "holds a control character"),
        ["study: an empty name"] = new(Run + "|--study|", 2, "--study '' is empty"),
        ["study: a project name too long to be a study's folder"] = new(Run, 2, "pass --study with another name",
            m => File.Move(Path.Combine(m.Folder, "Toy.csproj"), Path.Combine(m.Folder, new string('p', 120) + ".csproj"))),

        // messages quote what the user gave on one line
        ["message: a line break in a value is shown escaped"] = new(Run + "|--strategy|tpe\nautotune: target reached", 2, "unknown strategy 'tpe\\nautotune: target reached'"),
        ["message: a terminal escape in a value is shown escaped"] = new(Run + "|--strategy|\u001b[2Jtpe", 2, "unknown strategy '\\u001B[2Jtpe'"),
        ["message: a carriage return in a path is shown escaped"] = new("detect|{m}/no\rwhere", 2, "no\\rwhere"),

        // a model folder MSBuild cannot read as a path
        ["path: a model folder with ';'"] = new(Run, 2, "holds ';', which MSBuild does not read", Prefix: "autotune-toy-a;b-"),
        ["path: a model folder with '%3B'"] = new(Run, 2, "holds '%3B', which MSBuild does not read", Prefix: "autotune-toy-a%3Bb-"),

        // study files
        ["study: a truncated SQLite file"] = new(Run, 2, "not a readable study store", Store(p => { var b = File.ReadAllBytes(p); File.WriteAllBytes(p, b[..(b.Length / 3)]); })),
        ["study: a text file named study.db"] = new(Run, 2, "not a readable study store", m => m.Write(".autotune/study.db", "hello, I am not a database\n")),
        ["study: a foreign SQLite file"] = new(Run, 2, "not an autotune study store", m =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(m.StorePath)!);
            using var db = new SqliteConnection($"Data Source={m.StorePath};Pooling=false");
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "CREATE TABLE users(id INTEGER, name TEXT); INSERT INTO users VALUES (1, 'ann');";
            cmd.ExecuteNonQuery();
        }),
        ["study: another schema version"] = new(Run, 2, "has study schema 99", Sql("UPDATE meta SET value='99' WHERE key='schema'")),
        ["study: a table missing"] = new("trials|{m}", 2, "lacks the table(s) metrics", Sql("DROP TABLE metrics")),
        ["study: a damaged search space"] = new("trials|{m}", 2, "the search space of study 'Toy' is damaged", Sql("UPDATE studies SET space='garbage'")),
        ["study: a damaged trial value"] = new("trials|{m}", 2, "a value of study 'Toy' is damaged", Sql("UPDATE params SET value='{\"Nope\": 1}' WHERE name='Filters'")),
        ["study: a folder named study.db"] = new(Run, 2, "study.db is a folder, not a study store file", m => Directory.CreateDirectory(m.StorePath)),
        ["study: a folder named study.db, listed"] = new("trials|{m}", 2, "study.db is a folder, not a study store file", m => Directory.CreateDirectory(m.StorePath)),
        ["study: a named pipe named study.db"] = new(Run, 2, "study.db is a named pipe (FIFO), not a study store file", m => m.Fifo(".autotune/study.db")),
        ["study: a named pipe named study.db, reported"] = new("report|{m}", 2, "study.db is a named pipe (FIFO), not a study store file", m => m.Fifo(".autotune/study.db")),
        ["study: metrics of 1e308 and -1e308, mailed"] = new("notify|{m}|--to|dev@example.com|--smtp-host|127.0.0.1|--smtp-port|9|--smtp-tls|none", 5, "refused the connection",
            Sql("""
                UPDATE trials SET value=1e308; UPDATE metrics SET value=1e308;
                INSERT INTO trials(study_id, number, state, value, epochs, created) SELECT study_id, 2, 'completed', -1e308, 1, created FROM trials;
                INSERT INTO params SELECT t.id, p.name, p.value FROM params p, trials t WHERE t.number=2;
                INSERT INTO metrics SELECT id, 1, 'loss', -1e308 FROM trials WHERE number=2;
                """)),
        ["study: made for another target"] = new("run|{m}|--target|loss<0.5|--max-trials|1", 2, "made for another target", m => m.CreateStudy()),
        ["study: a study name that is not there"] = new("trials|{m}|--study|nope", 2, "has no study 'nope'", m => m.CreateStudy()),
        ["study: --best with no completed trial"] = new("apply|{m}|--best", 2, "has no completed trial", Sql("UPDATE trials SET state='failed'")),

        // templates
        ["template: a block template that does not parse"] = new(Run, 2, "does not parse", m => m.Write("autotune.block.scriban", "{{ for p in parameters }}{{ p.name ")),
        ["template: a block template that renders invalid C#"] = new("apply|{m}|--values|Layers=3", 2, "Hyper.cs", m => m.Write("autotune.block.scriban", "public static class {{ name }} { int = ; }")),
        ["template: a block template with an unknown variable"] = new("apply|{m}|--values|Layers=3", 2, "failed", m => m.Write("autotune.block.scriban", "{{ nothing_here.x }}")),
        ["template: a block template that loops forever"] = new("apply|{m}|--values|Layers=3", 2, "failed", m => m.Write("autotune.block.scriban", "{{ while true }}x{{ end }}")),
        ["template: a block template that includes a file"] = new("apply|{m}|--values|Layers=3", 2, "failed", m => m.Write("autotune.block.scriban", "{{ include '/etc/passwd' }}")),
        ["template: a report template that does not parse"] = new("report|{m}", 2, "fix the template", m => { m.CreateStudy(); m.Write("templates/report/report.html.sbn", "{{ if }}"); }),
        ["template: a report template that includes a file"] = new("report|{m}", 2, "fix the template", m => { m.CreateStudy(); m.Write("templates/report/report.html.sbn", "{{ include '/etc/passwd' }}"); }),
        ["template: a report template that loops forever"] = new("report|{m}", 2, "fix the template", m => { m.CreateStudy(); m.Write("templates/report/report.html.sbn", "{{ while true }}x{{ end }}"); }),
        ["template: a report text template that links to a host file"] = new("report|{m}", 2, "report.txt.sbn leads to /etc/passwd, outside the model folder",
            m => { m.CreateStudy(); m.Link("templates/report/report.txt.sbn", "/etc/passwd"); }),
        ["template: a report html template that links to a host file"] = new("report|{m}", 2, "report.html.sbn leads to /etc/passwd, outside the model folder",
            m => { m.CreateStudy(); m.Link("templates/report/report.html.sbn", "/etc/passwd"); }),
        ["template: a report template folder that links out of the model folder"] = new("report|{m}", 2, "outside the model folder",
            m => { m.CreateStudy(); File.WriteAllText(Path.Combine(m.Outside, "report.txt.sbn"), "{{ study.name }}"); m.Link("templates/report", m.Outside); }),
        ["template: a --templates file that links to a host file"] = new("report|{m}|--templates|{m}/mine", 2, "report.txt.sbn leads to /etc/passwd, outside the template folder",
            m => { m.CreateStudy(); m.Link("mine/report.txt.sbn", "/etc/passwd"); }),
        ["template: a report template that links to a host file, mailed"] = new("notify|{m}|--to|dev@example.com|--smtp-host|127.0.0.1|--smtp-port|9|--smtp-tls|none", 2,
            "report.txt.sbn leads to /etc/passwd, outside the model folder", m => { m.CreateStudy(); m.Link("templates/report/report.txt.sbn", "/etc/passwd"); }),
        ["template: a block template that links to a host file"] = new("apply|{m}|--values|Layers=3", 2, "autotune.block.scriban leads to /etc/passwd, outside the model folder",
            m => m.Link("autotune.block.scriban", "/etc/passwd")),
        ["template: --templates folder missing"] = new("report|{m}|--templates|{m}/none", 2, "does not exist", m => m.CreateStudy()),

        // hostile hyperparameter values
        ["value: code in a string"] = new("apply|{m}|--values|Pooling=max\"; System.IO.File.Delete(\"x\"); //", 2, "outside its declared space"),
        ["value: a newline and a brace"] = new("apply|{m}|--values|Pooling=max\n}", 2, "outside its declared space"),
        ["value: a right-to-left override"] = new("apply|{m}|--values|Pooling=m\u202Eax", 2, "outside its declared space"),
        ["value: NaN"] = new("apply|{m}|--values|LearningRate=NaN", 2, "not a finite double"),
        ["value: Infinity"] = new("apply|{m}|--values|LearningRate=Infinity", 2, "not a finite double"),
        ["value: 1e309 for an int"] = new("apply|{m}|--values|Filters=1e309", 2, "is not a int"),
        ["value: an int that overflows"] = new("apply|{m}|--values|Filters=99999999999999999999", 2, "is not a int"),
        ["value: a fraction for an int"] = new("apply|{m}|--values|Layers=2.5", 2, "is not a int"),
        ["value: a Scriban expression"] = new("apply|{m}|--values|Pooling={{ 7 * 7 }}", 2, "outside its declared space"),
        ["value: outside a Choice"] = new("apply|{m}|--values|Filters=64", 2, "outside its declared space"),
        ["value: a hostile value stored in the study"] = new("apply|{m}|--best", 2, "outside its declared space",
            Sql("UPDATE params SET value='{\"Pooling\": \"max\\\"; Evil(); //\"}' WHERE name='Pooling'")),
    };

    public static TheoryData<string> Names => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_bad_input_ends_with_its_exit_code_and_one_line(string name)
    {
        var c = Cases[name];
        using var model = new ToyModel(c.Block, c.Program, c.Prefix);
        c.Spoil?.Invoke(model);
        var args = c.Args.Split('|').Select(a => a.Replace("{m}", model.Folder)).ToArray();

        var r = await Tool.RunAsync(args, timeout: TimeSpan.FromMinutes(3));

        Assert(r, c.Code, c.Says);
    }

    /// <summary>The documented code; one "autotune: " line, then only "  | " detail; no stack trace, no internal error.</summary>
    public static void Assert(Tool.Result r, int code, string says)
    {
        r.ExitCode.ShouldBe(code, r.All);
        var lines = r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        lines.ShouldNotBeEmpty(r.All);
        lines[0].ShouldStartWith("autotune: ", customMessage: r.All);
        lines[0].ShouldContain(says, Shouldly.Case.Sensitive, r.All);
        lines.Skip(1).ShouldAllBe(l => l.StartsWith("  | "), r.All);
        // The tool's own words: stderr, and its [run] lines on stdout (a crashing model program's trace is its log, shown as such).
        var own = r.Error + string.Join('\n', r.Output.Split('\n').Where(l => l.StartsWith("[run]") || l.StartsWith("autotune")));
        foreach (var bad in new[] { "   at ", "Unhandled", "internal error" }) own.ShouldNotContain(bad, Shouldly.Case.Sensitive, r.All);
        lines[0].ShouldNotContain("Exception:", Shouldly.Case.Sensitive, r.All);
    }
}
