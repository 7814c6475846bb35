using System.CommandLine;
using QSim.Cli;

var accelerator = new Option<string>("--accelerator", "-a")
{
    Description = "Accelerator: cpu, opencl, cuda, best, or part of a device name",
    DefaultValueFactory = _ => "cpu",
};
var precision = new Option<string>("--precision", "-p")
{
    Description = "Floating-point precision: float or double",
    DefaultValueFactory = _ => "double",
};
var qubits = new Option<int>("--qubits") { Description = "Qubits of the layered circuit", DefaultValueFactory = _ => 24 };
var layers = new Option<int>("--layers") { Description = "Layers of the layered circuit", DefaultValueFactory = _ => 10 };
var qnnQubits = new Option<int>("--qnn-qubits") { Description = "Qubits of the batched QNN", DefaultValueFactory = _ => 8 };
var batch = new Option<int>("--batch") { Description = "Samples in the QNN batch", DefaultValueFactory = _ => 4096 };
var repeats = new Option<int>("--repeats") { Description = "Timed repetitions of each job (the best is reported)", DefaultValueFactory = _ => 3 };

var run = new Command("run", "The main job: a layered circuit and a batched QNN on one accelerator, with results and timings")
{
    accelerator, precision, qubits, layers, qnnQubits, batch, repeats,
};
run.SetAction(result => MainJob.Run(
    result.GetValue(accelerator)!, result.GetValue(precision)!, result.GetValue(qubits), result.GetValue(layers),
    result.GetValue(qnnQubits), result.GetValue(batch), result.GetValue(repeats), Console.Out));

var devices = new Command("devices", "List the accelerators of this machine, and why any kind is missing");
devices.SetAction(_ => DeviceList.Print(Console.Out));

var root = new RootCommand("QSim: a batched quantum circuit simulator") { run, devices, TrainCommand.Create(), ResultsCommand.Create() };
return root.Parse(args).Invoke();
