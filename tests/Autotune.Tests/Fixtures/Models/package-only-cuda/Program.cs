// The code is not written yet; the project file already says what it will need.
Console.WriteLine("todo");
