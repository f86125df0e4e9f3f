using System.Numerics;

namespace Mpc.Contracts.Ethereum;

/// <summary>DEV-CHAIN ONLY: anvil/hardhat test methods that manipulate time and balances. Never call against a real network.</summary>
public interface IEthereumDevRpc : IEthereumRpc
{
    /// <summary><c>eth_accounts</c>: the node's unlocked accounts (the dev accounts on anvil).</summary>
    Task<IReadOnlyList<EthAddress>> GetAccountsAsync(CancellationToken cancellationToken = default);

    /// <summary><c>evm_increaseTime</c>: moves the next block's timestamp forward by <paramref name="seconds"/>.</summary>
    Task IncreaseTimeAsync(long seconds, CancellationToken cancellationToken = default);

    /// <summary><c>evm_mine</c>: mines one block now.</summary>
    Task MineAsync(CancellationToken cancellationToken = default);

    /// <summary><c>anvil_setBalance</c>: sets <paramref name="address"/>'s balance to <paramref name="wei"/>.</summary>
    Task SetBalanceAsync(EthAddress address, BigInteger wei, CancellationToken cancellationToken = default);
}
