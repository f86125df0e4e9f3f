using System.Numerics;

namespace Mpc.Contracts.Ethereum;

/// <summary>Turns EVM revert data into a readable message: <c>Error(string)</c>, <c>Panic(uint256)</c> and registered custom errors.</summary>
/// <remarks>
/// Solidity encodes <c>require(cond, "msg")</c> as <c>Error(string)</c> (selector 0x08c379a0), compiler-inserted checks
/// as <c>Panic(uint256)</c> (0x4e487b71, codes from the Solidity docs "Panic via assert and Error via require"), and
/// <c>revert CustomError(args)</c> as that error's selector and ABI-encoded arguments.
/// </remarks>
public sealed class RevertDecoder
{
    private static readonly AbiError ErrorString = AbiError.Parse("Error(string)");
    private static readonly AbiError Panic = AbiError.Parse("Panic(uint256)");

    private readonly IReadOnlyList<AbiError> _customErrors;

    /// <summary>Creates a decoder that also knows the given custom error signatures, e.g. <c>"NotMember(address node)"</c>.</summary>
    /// <exception cref="FormatException">A signature is malformed.</exception>
    public RevertDecoder(params IEnumerable<string> customErrorSignatures)
    {
        ArgumentNullException.ThrowIfNull(customErrorSignatures);
        _customErrors = customErrorSignatures.Select(AbiError.Parse).ToArray();
    }

    /// <summary>A decoder for <c>Error(string)</c> and <c>Panic(uint256)</c> only.</summary>
    public static RevertDecoder Default { get; } = new();

    /// <summary>The registered custom errors.</summary>
    public IReadOnlyList<AbiError> CustomErrors => _customErrors;

    /// <summary>Describes <paramref name="revertData"/>; never throws, falling back to the raw selector and length.</summary>
    public string Describe(ReadOnlySpan<byte> revertData) => Decode(revertData).Reason;

    /// <summary>
    /// Decodes <paramref name="revertData"/> once: the readable reason and, when it is a registered custom error whose
    /// arguments decode, that error and its arguments. Never throws.
    /// </summary>
    public DecodedRevert Decode(ReadOnlySpan<byte> revertData)
    {
        if (revertData.IsEmpty)
        {
            return new DecodedRevert("reverted without data", null, []);
        }

        try
        {
            if (ErrorString.Matches(revertData))
            {
                return new DecodedRevert((string)ErrorString.Decode(revertData)[0]!, null, []);
            }

            if (Panic.Matches(revertData))
            {
                var code = (BigInteger)Panic.Decode(revertData)[0]!;
                return new DecodedRevert($"panic 0x{code:x2} ({PanicMeaning(code)})", null, []);
            }

            foreach (AbiError error in _customErrors)
            {
                if (error.Matches(revertData))
                {
                    object?[] args = error.Decode(revertData);
                    return new DecodedRevert(error.Name + "(" + string.Join(", ", args.Select(FormatValue)) + ")", error, args);
                }
            }
        }
        catch (FormatException e)
        {
            // A matching selector with arguments that do not decode: no error is named, so callers do not trust it.
            return new DecodedRevert($"malformed revert data {Hex.Encode(revertData[..Math.Min(4, revertData.Length)])} ({e.Message})", null, []);
        }

        string unknown = revertData.Length >= 4
            ? $"unknown error {Hex.Encode(revertData[..4])} with {revertData.Length - 4} bytes of arguments"
            : $"unknown revert data {Hex.Encode(revertData)}";
        return new DecodedRevert(unknown, null, []);
    }

    private static string PanicMeaning(BigInteger code) => (int)(code & 0xff) switch
    {
        _ when code > 0xff => "unknown panic code",
        0x00 => "generic compiler panic",
        0x01 => "assert failed",
        0x11 => "arithmetic overflow or underflow",
        0x12 => "division or modulo by zero",
        0x21 => "invalid enum value",
        0x22 => "corrupt storage byte array",
        0x31 => "pop on empty array",
        0x32 => "array index out of bounds",
        0x41 => "out of memory",
        0x51 => "call to zero-initialised function",
        _ => "unknown panic code",
    };

    private static string FormatValue(object? value) => value switch
    {
        null => "null",
        byte[] bytes => Hex.Encode(bytes),
        string text => "\"" + text + "\"",
        bool b => b ? "true" : "false",
        object?[] items => "[" + string.Join(", ", items.Select(FormatValue)) + "]",
        _ => value.ToString() ?? string.Empty,
    };
}

/// <summary>Revert data decoded by <see cref="RevertDecoder.Decode"/>.</summary>
/// <param name="Reason">The readable reason, e.g. <c>NotEnoughSignatures(1, 2)</c> or <c>panic 0x11 (…)</c>.</param>
/// <param name="CustomError">The registered custom error the data encodes; null for <c>Error(string)</c>, <c>Panic</c>, unknown or malformed data.</param>
/// <param name="Arguments">The custom error's decoded arguments in declaration order; empty when <paramref name="CustomError"/> is null.</param>
public sealed record DecodedRevert(string Reason, AbiError? CustomError, IReadOnlyList<object?> Arguments);
