using System.Globalization;
using System.Numerics;
using System.Text;

namespace Mpc.Core.Tests.Language;

/// <summary>
/// Random well-typed <c>.circ</c> programs for property tests, deterministic per seed. They use every
/// statement form (let, assignment, static for, public and oblivious if, functions) and, unless
/// <c>comparisons</c> is false, comparisons, equality, division (by public and, for int32, secret divisors), abs, min/max, argmax, sort and select.
/// </summary>
internal static class RandomPrograms
{
    public sealed record Case(string Source, Dictionary<string, BigInteger> Inputs);

    public static Case Create(int seed, bool comparisons)
    {
        var rng = new Random(seed);
        string type = rng.Next(2) == 0 ? "int32" : "int64";
        var src = new StringBuilder();
        var inputs = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        int Small() => rng.Next(-20, 21);

        src.AppendLine("fn twice_plus(a: " + type + ", b: " + type + ") -> " + type + " { let t = a + a; return t + b; }");
        src.AppendLine($"input alice.a: {type};");
        src.AppendLine($"input bob.b: {type};");
        src.AppendLine($"input carol.v: {type}[4];");
        src.AppendLine("input alice.flag: bool;");
        inputs["alice.a"] = Small();
        inputs["bob.b"] = Small();
        for (int i = 0; i < 4; i++) inputs[$"carol.v_{i}"] = Small();
        inputs["alice.flag"] = rng.Next(2);

        var vars = new List<string> { "a", "b", "v[0]", "v[3]" };
        string Leaf() => rng.Next(4) == 0 ? Small().ToString(CultureInfo.InvariantCulture).Replace("-", "0 - ", StringComparison.Ordinal) : vars[rng.Next(vars.Count)];
        string Cond()
        {
            if (!comparisons) return rng.Next(2) == 0 ? "flag" : "!flag";
            return rng.Next(5) switch
            {
                0 => $"{Leaf()} < {Leaf()}",
                1 => $"{Leaf()} == {Leaf()}",
                2 => $"({Leaf()} >= {Leaf()}) && flag",
                3 => $"({Leaf()} != {Leaf()}) ^ flag",
                _ => $"!({Leaf()} <= {Leaf()}) || flag",
            };
        }
        string Expr(int depth)
        {
            if (depth == 0) return Leaf();
            int choices = comparisons ? 12 : 6;
            return rng.Next(choices) switch
            {
                0 => $"({Expr(depth - 1)} + {Expr(depth - 1)})",
                1 => $"({Expr(depth - 1)} - {Expr(depth - 1)})",
                2 => $"({Leaf()} * {Leaf()})",
                3 => $"({Expr(depth - 1)} * {rng.Next(-3, 4).ToString(CultureInfo.InvariantCulture).Replace("-", "0 - ", StringComparison.Ordinal)})",
                4 => $"twice_plus({Leaf()}, {Expr(depth - 1)})",
                5 => "sum(v)",
                6 => $"select({Cond()}, {Expr(depth - 1)}, {Leaf()})",
                7 => $"min({Leaf()}, {Expr(depth - 1)})",
                8 => $"abs({Expr(depth - 1)})",
                9 => type == "int32"
                    ? rng.Next(3) switch
                    {
                        0 => $"({Expr(depth - 1)} / {rng.Next(2, 9)})",
                        1 => $"({Expr(depth - 1)} / (abs({Leaf()}) + 1))", // a secret divisor, never 0
                        _ => $"({Expr(depth - 1)} % (0 - abs({Leaf()}) - 1))",
                    }
                    : $"({Expr(depth - 1)} / 4)",
                10 => $"sort(v)[{rng.Next(4)}]",
                _ => $"{type}(argmax(v))",
            };
        }

        int lets = rng.Next(2, 6);
        for (int i = 0; i < lets; i++)
        {
            string name = "x" + i;
            src.AppendLine($"let {name}: {type} = {Expr(rng.Next(0, 3))};");
            switch (rng.Next(4))
            {
                case 0:
                    src.AppendLine($"if {Cond()} {{ {name} = {Expr(1)}; }} else {{ {name} = {name} - {Leaf()}; }}");
                    break;
                case 1:
                    src.AppendLine($"for i in 0..4 {{ {name} = {name} + v[i] * {rng.Next(-2, 3).ToString(CultureInfo.InvariantCulture).Replace("-", "0 - ", StringComparison.Ordinal)}; }}");
                    break;
                case 2:
                    src.AppendLine($"if {rng.Next(2)} == 1 {{ {name} = {name} + 1; }} else {{ {name} = {Expr(1)}; }}");
                    break;
            }
            vars.Add(name);
        }
        int outputs = rng.Next(1, 4);
        for (int i = 0; i < outputs; i++)
        {
            string party = rng.Next(3) == 0 ? "bob." : "";
            src.AppendLine($"output {party}o{i} = {vars[rng.Next(4, vars.Count)]};");
        }
        return new Case(src.ToString(), inputs);
    }
}
