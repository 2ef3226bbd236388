using System.CommandLine;
using Quamba.Cli.Commands;

namespace Quamba.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("quamba: run, evaluate and quantize Mamba1/Mamba2 models on CPU and NVIDIA GPUs.")
        {
            GenerateCommand.Create(),
            EvalCommand.Create(),
            VerifyCommand.Create(),
            TokenizeCommand.Create(),
            RandomModelCommand.Create(),
            BenchCommand.Create(),
            KernelsCommand.Create(),
            QuantizeCommand.Create(),
            AblateCommand.Create(),
        };
        ParseResult parsed = root.Parse(args);
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("quamba: cancelled");
            return 130;
        }
        catch (Exception error)
        {
            // One clear line; the stack only on request, since these are input errors, not crashes.
            Console.Error.WriteLine($"quamba: error: {Describe(error)}");
            if (Environment.GetEnvironmentVariable("QUAMBA_DEBUG") == "1") Console.Error.WriteLine(error);
            return 1;
        }
    }

    private static string Describe(Exception error)
    {
        while (error is AggregateException { InnerExceptions.Count: 1 } aggregate) error = aggregate.InnerExceptions[0];
        return error.Message.ReplaceLineEndings(" ");
    }
}
