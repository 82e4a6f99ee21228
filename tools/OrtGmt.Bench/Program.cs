using System.Globalization;
using OrtGmt.Bench;

// Benchmarks for the host-side training components. Not run by CI.
//   dotnet run -c Release --project tools/OrtGmt.Bench -- topk [count] [ratio] [repetitions]
//   dotnet run -c Release --project tools/OrtGmt.Bench -- mask [count] [ratio] [repetitions]
const long DefaultCount = 100_000_000;
const double DefaultRatio = 0.3;
const int DefaultRepetitions = 7;
const long DefaultMaskCount = 4_000_000;

//   dotnet run -c Release --project tools/OrtGmt.Bench -- steps [model = tiny] [batch] [seq] [repetitions] [steps per repetition] [threads]
if (args.Length > 0 && args[0] == "steps")
{
    string model = args.Length > 1 ? args[1] : "tiny";
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
    bool small = model == "small";
    return StepBench.Run(model, Arg(2, small ? 4 : 8), Arg(3, 128), Arg(4, 7), Arg(5, small ? 2 : 10), Arg(6, Environment.ProcessorCount));
}
if (args.Length == 0 || args[0] is not ("topk" or "mask"))
{
    Console.Error.WriteLine("usage: OrtGmt.Bench topk [count = 100000000] [ratio = 0.3] [repetitions = 7]");
    Console.Error.WriteLine("       OrtGmt.Bench mask [count = 4000000] [ratio = 0.3] [repetitions = 7]");
    Console.Error.WriteLine("       OrtGmt.Bench steps [model = tiny|small] [batch] [seq] [repetitions = 7] [steps per repetition] [threads]");
    return 1;
}
bool mask = args[0] == "mask";
long count = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : mask ? DefaultMaskCount : DefaultCount;
double ratio = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : DefaultRatio;
int repetitions = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : DefaultRepetitions;
return mask ? GraphMaskBench.Run(count, ratio, repetitions) : TopKBench.Run(count, ratio, repetitions);
