using System.Globalization;
using OrtGmt.Bench;

// Benchmarks for the host-side training components. Not run by CI.
//   dotnet run -c Release --project tools/OrtGmt.Bench -- topk [count] [ratio] [repetitions]
const long DefaultCount = 100_000_000;
const double DefaultRatio = 0.3;
const int DefaultRepetitions = 7;

if (args.Length == 0 || args[0] != "topk")
{
    Console.Error.WriteLine("usage: OrtGmt.Bench topk [count = 100000000] [ratio = 0.3] [repetitions = 7]");
    return 1;
}
long count = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : DefaultCount;
double ratio = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : DefaultRatio;
int repetitions = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : DefaultRepetitions;
return TopKBench.Run(count, ratio, repetitions);
