// A program with no ML framework at all: Detect says so instead of guessing.
var numbers = Enumerable.Range(1, 10).Select(i => i * i).ToList();
Console.WriteLine(string.Join(", ", numbers));

static int Linear(int a, int b) => a * b;
