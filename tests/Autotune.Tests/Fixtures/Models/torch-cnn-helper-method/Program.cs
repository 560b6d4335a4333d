using Helpers;

using var net = new Net(3);
Console.WriteLine(net);
