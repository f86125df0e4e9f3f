using System.Numerics;
using Mpc.Core.Circuits;
using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Core.Protocols;
using Mpc.Core.Protocols.Integers;
using Mpc.Core.Sharing;

namespace Mpc.Core.Engine;

/// <summary>A revealed output of a run.</summary>
/// <param name="Name">The output's name.</param>
/// <param name="Visibility">Public (opened by the parties) or private (reconstructed by its owner alone).</param>
/// <param name="Owner">The receiving party of a private output.</param>
/// <param name="Value">The value as a field element.</param>
public readonly record struct OutputValue<T>(string Name, OutputVisibility Visibility, string? Owner, T Value)
    where T : struct, IField<T>
{
    /// <summary>The value as a signed integer in (−p/2, p/2], the inverse of how inputs are encoded.</summary>
    public BigInteger Signed => FieldIntegers.ToSigned(Value);
}

/// <summary>The outputs and costs of an in-process run.</summary>
/// <param name="Outputs">Every output, in circuit order.</param>
/// <param name="Preprocessing">Wall time to generate the Beaver triples and the integer gates' masks.</param>
/// <param name="Online">Wall time of input sharing, evaluation and output delivery.</param>
/// <param name="OnlineBytesSent">Payload bytes all parties sent during the online phase.</param>
/// <param name="Rounds">Online rounds of the circuit (<see cref="CircuitStats.Rounds"/>: multiplications and integer protocols on the critical path).</param>
public sealed record LocalRunResult<T>(IReadOnlyList<OutputValue<T>> Outputs, TimeSpan Preprocessing, TimeSpan Online,
    long OnlineBytesSent, int Rounds) where T : struct, IField<T>;

/// <summary>
/// Runs a circuit with n parties as tasks in one process over an <see cref="InMemoryNetwork"/>:
/// the whole protocol (dealer-free preprocessing, input sharing, evaluation, output delivery) exactly as a
/// cluster runs it, only without sockets.
/// </summary>
/// <remarks>
/// Input owners act as clients: each shares its values locally and hands share i to party i only, so no
/// party sees another's input. Private outputs are reconstructed (with the degree check) by their owner
/// from all n parties' shares; public outputs are opened by the parties.
/// </remarks>
public static class LocalRunner
{
    /// <summary>Validates the inputs, runs the circuit and returns its outputs.</summary>
    /// <param name="circuit">The circuit to evaluate.</param>
    /// <param name="inputs">One value per circuit input, keyed <c>owner.name</c> (or an unambiguous bare name).</param>
    /// <param name="parties">n, the number of computing parties.</param>
    /// <param name="threshold">t, with n ≥ 2t + 1.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="ArgumentException">Bad n/t, or a missing, unknown, repeated or out-of-range input.</exception>
    public static Task<LocalRunResult<T>> RunAsync<T>(Circuit circuit, IReadOnlyDictionary<string, BigInteger> inputs,
        int parties, int threshold, CancellationToken cancellationToken = default) where T : struct, IField<T> =>
        RunAsync<T>(circuit, inputs, parties, threshold, SignedEncoding.DefaultStatisticalSecurity, cancellationToken);

    /// <summary>Validates the inputs, runs the circuit with statistical security κ for its integer gates and returns its outputs.</summary>
    /// <param name="circuit">The circuit to evaluate.</param>
    /// <param name="inputs">One value per circuit input, keyed <c>owner.name</c> (or an unambiguous bare name).</param>
    /// <param name="parties">n, the number of computing parties.</param>
    /// <param name="threshold">t, with n ≥ 2t + 1.</param>
    /// <param name="security">κ, in bits: integer gates need k + κ + 1 &lt; log2 p.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="ArgumentException">Bad n/t, a missing, unknown, repeated or out-of-range input, or an integer gate that does not fit the field.</exception>
    public static async Task<LocalRunResult<T>> RunAsync<T>(Circuit circuit, IReadOnlyDictionary<string, BigInteger> inputs,
        int parties, int threshold, int security, CancellationToken cancellationToken = default) where T : struct, IField<T>
    {
        ArgumentNullException.ThrowIfNull(circuit);
        ArgumentOutOfRangeException.ThrowIfNegative(security);
        PartyEngine<T>.CheckSupported(circuit, security); // before any party sends anything
        var scheme = new ShamirScheme<T>(parties, threshold);
        var values = CircuitInputs.ToField<T>(circuit, inputs);

        // Clients share their inputs: party i receives only the i-th share of each value.
        var shares = new Dictionary<string, T>[parties];
        for (int i = 0; i < parties; i++) shares[i] = new Dictionary<string, T>(values.Count);
        foreach (var (key, value) in values)
        {
            T[] s = scheme.Share(value, CryptoRandom.Shared);
            for (int i = 0; i < parties; i++) shares[i][key] = s[i];
        }

        var run = await InProcessParties.RunAsync(parties, threshold,
            (ProtocolContext<T> context) => new PartyEngine<T>(context, security).PrepareAsync(circuit, cancellationToken),
            (ProtocolContext<T> context, CircuitPreprocessing<T> material) => new PartyEngine<T>(context, security).RunAsync(circuit, shares[context.Party], material, cancellationToken),
            (PartyOutputs<T>[] results) => CollectOutputs(circuit, scheme, results), cancellationToken).ConfigureAwait(false);
        return new LocalRunResult<T>(run.Result, run.Preprocessing, run.Online, run.OnlineBytesSent, circuit.Stats.Rounds);
    }

    private static List<OutputValue<T>> CollectOutputs<T>(Circuit circuit, ShamirScheme<T> scheme, PartyOutputs<T>[] results)
        where T : struct, IField<T>
    {
        var outputs = new List<OutputValue<T>>(circuit.Outputs.Length);
        var partyShares = new T[results.Length];
        foreach (var o in circuit.Outputs)
        {
            T value;
            if (o.Visibility == OutputVisibility.Public)
            {
                value = results[0].Public[o.Name];
                for (int i = 1; i < results.Length; i++)
                    if (results[i].Public[o.Name] != value)
                        throw new InvalidOperationException($"Parties opened different values for output '{o.Name}'.");
            }
            else
            {
                for (int i = 0; i < results.Length; i++) partyShares[i] = results[i].PrivateShares[o.Name];
                value = scheme.ReconstructChecked(partyShares);
            }
            outputs.Add(new OutputValue<T>(o.Name, o.Visibility, o.Owner, value));
        }
        return outputs;
    }
}
