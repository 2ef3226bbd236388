namespace Quamba.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("quamba: no commands yet");
        return 1;
    }
}
