var total = 0;
for (var i = 0; i < 10; i++) total += i * 3;
Console.WriteLine(total);
