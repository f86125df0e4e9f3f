using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.DevChain;

/// <summary>A hand-assembled contract with one function per behaviour the client must handle against a real node.</summary>
internal static class ProbeContract
{
    public const string Value = "value() returns (uint256)";
    public const string Now = "now() returns (uint256)";
    public const string Ping = "ping(uint256 x)";
    public const string Fail = "fail()";
    public const string FailCustom = "failCustom()";
    public const string PingedEvent = "Pinged(address indexed sender, uint256 value)";
    public const string NotAllowedError = "NotAllowed(address caller)";
    public const string FailMessage = "probe says no";
    public const byte ConstantValue = 42;

    public static byte[] InitCode()
    {
        byte[] message = System.Text.Encoding.ASCII.GetBytes(FailMessage);
        var asm = new EvmAssembler();
        // Dispatcher: selector = calldata[0..4]; compare against each function and jump.
        asm.Push(0).Op(EvmAssembler.CallDataLoad).Push(0xe0).Op(EvmAssembler.Shr);
        foreach ((string signature, string label) in (ReadOnlySpan<(string, string)>)[(Value, "value"), (Now, "now"), (Ping, "ping"), (Fail, "fail"), (FailCustom, "failCustom")])
        {
            asm.Op(EvmAssembler.Dup1).Push(Abi.FunctionSelector(signature)).Op(EvmAssembler.Eq).PushLabel(label).Op(EvmAssembler.JumpI);
        }

        asm.Op(EvmAssembler.Push0, EvmAssembler.Push0, EvmAssembler.Revert);

        // value(): return 42.
        asm.Label("value").Push(ConstantValue).Op(EvmAssembler.Push0, EvmAssembler.MStore).Push(32).Op(EvmAssembler.Push0, EvmAssembler.Return);

        // now(): return block.timestamp.
        asm.Label("now").Op(EvmAssembler.Timestamp, EvmAssembler.Push0, EvmAssembler.MStore).Push(32).Op(EvmAssembler.Push0, EvmAssembler.Return);

        // ping(x): emit Pinged(msg.sender, x).
        asm.Label("ping").Push(4).Op(EvmAssembler.CallDataLoad, EvmAssembler.Push0, EvmAssembler.MStore)
            .Op(EvmAssembler.Caller).Push(Abi.EventTopic(PingedEvent)).Push(32).Op(EvmAssembler.Push0, EvmAssembler.Log2, EvmAssembler.Stop);

        // fail(): revert Error("probe says no") = selector ‖ offset 0x20 ‖ length ‖ text.
        asm.Label("fail").PushLeftAligned(Abi.FunctionSelector("Error(string)")).Op(EvmAssembler.Push0, EvmAssembler.MStore)
            .Push(0x20).Push(4).Op(EvmAssembler.MStore)
            .Push((byte)message.Length).Push(36).Op(EvmAssembler.MStore)
            .PushLeftAligned(message).Push(68).Op(EvmAssembler.MStore)
            .Push(100).Op(EvmAssembler.Push0, EvmAssembler.Revert);

        // failCustom(): revert NotAllowed(msg.sender).
        asm.Label("failCustom").PushLeftAligned(Abi.FunctionSelector(NotAllowedError)).Op(EvmAssembler.Push0, EvmAssembler.MStore)
            .Op(EvmAssembler.Caller).Push(4).Op(EvmAssembler.MStore)
            .Push(36).Op(EvmAssembler.Push0, EvmAssembler.Revert);

        return EvmAssembler.Deployer(asm.Build());
    }
}
