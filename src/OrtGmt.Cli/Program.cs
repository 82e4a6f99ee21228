using System.CommandLine;
using OrtGmt.Cli;
using OrtGmt.Cli.Commands;

var root = new RootCommand("ortgmt: Gradient-Mask Tuning for ONNX models on ONNX Runtime.");
foreach (var command in CommandCatalog.All()) root.Add(command);
return Cli.Invoke(root, args);
