using System.Diagnostics;
using Spectre.Console;

namespace Mpc.Cli;

/// <summary>Shows a multi-step command's progress: each step with a spinner while it runs, then its status, its time and its detail lines.</summary>
/// <remarks>
/// On a terminal it uses Spectre.Console (a live spinner with the step's current activity); when stdout is redirected
/// or <c>CI=true</c>, plain lines (<c>[ ok ] title (1.23 s)</c>), so logs and scripts read the same thing. Detail lines
/// (tx hashes, gas, results) are printed under their step in both modes.
/// </remarks>
internal sealed class StepDisplay
{
    private readonly bool _live;

    public StepDisplay(bool? live = null) =>
        _live = live ?? (!Console.IsOutputRedirected && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase));

    /// <summary>True when the Spectre.Console live display is in use.</summary>
    public bool IsLive => _live;

    /// <summary>Runs one step; <paramref name="work"/> reports detail lines through its argument. A failing step is shown failed and rethrows.</summary>
    public async Task<T> RunAsync<T>(string title, Func<Action<string>, Task<T>> work)
    {
        var details = new List<string>();
        var clock = Stopwatch.StartNew();
        try
        {
            T result;
            if (_live)
            {
                result = await AnsiConsole.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(title), context =>
                    work(line =>
                    {
                        lock (details)
                            details.Add(line);
                        context.Status(Markup.Escape($"{title}: {line}"));
                    }));
            }
            else
            {
                result = await work(line =>
                {
                    lock (details)
                        details.Add(line);
                });
            }
            Finish(true, title, clock.Elapsed, details);
            return result;
        }
        catch
        {
            Finish(false, title, clock.Elapsed, details);
            throw;
        }
    }

    /// <summary>Runs one step without a result.</summary>
    public Task RunAsync(string title, Func<Action<string>, Task> work) =>
        RunAsync<bool>(title, async report =>
        {
            await work(report);
            return true;
        });

    /// <summary>A line outside any step.</summary>
    public void Line(string text)
    {
        if (_live)
            AnsiConsole.MarkupLine(Markup.Escape(text));
        else
            Console.WriteLine(text);
    }

    private void Finish(bool ok, string title, TimeSpan elapsed, List<string> details)
    {
        string time = $"{elapsed.TotalSeconds:F2} s";
        if (_live)
        {
            AnsiConsole.MarkupLine(ok
                ? $"[green]✓[/] {Markup.Escape(title)} [grey]({time})[/]"
                : $"[red]✗[/] {Markup.Escape(title)} [grey]({time})[/]");
            foreach (string line in details)
                AnsiConsole.MarkupLine($"    [grey]{Markup.Escape(line)}[/]");
        }
        else
        {
            Console.WriteLine($"[{(ok ? " ok " : "FAIL")}] {title} ({time})");
            foreach (string line in details)
                Console.WriteLine($"       {line}");
        }
    }
}
