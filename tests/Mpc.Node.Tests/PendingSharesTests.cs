using Mpc.Node.Jobs;
using Mpc.Node.Storage;

namespace Mpc.Node.Tests;

public sealed class PendingSharesTests
{
    private static InputShareRecord Share(string job, string input, int bytes = 8) => new(job, input, "client", new byte[bytes], []);

    [Fact]
    public void A_job_takes_exactly_the_shares_kept_for_it_once()
    {
        var cache = new PendingShares();
        cache.Add([Share("a", "x"), Share("b", "x")]);
        cache.Add([Share("a", "y")]);

        var taken = cache.Take("a", inputs: 2);

        Assert.NotNull(taken);
        Assert.Equal(["x", "y"], taken.Select(s => s.InputName).Order());
        Assert.All(taken, s => Assert.Equal("a", s.JobId));
        Assert.Null(cache.Take("a", inputs: 2)); // taken: a second start would read the store
        Assert.Equal(8, cache.Bytes); // job b's share is still kept
    }

    [Fact]
    public void Fewer_shares_than_inputs_means_some_came_before_this_process_and_the_store_is_read()
    {
        var cache = new PendingShares();
        cache.Add([Share("a", "y")]);

        Assert.Null(cache.Take("a", inputs: 2));
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void A_job_whose_shares_pass_the_budget_is_dropped_whole_and_stays_dropped()
    {
        var cache = new PendingShares();
        int half = (int)(PendingShares.BudgetBytes / 2);
        cache.Add([Share("big", "x", half)]);
        cache.Add([Share("small", "x")]);
        cache.Add([Share("big", "y", half)]); // would pass the budget: big is dropped, small keeps its share

        Assert.Equal(8, cache.Bytes);
        cache.Add([Share("big", "z")]); // room again, but a dropped job never becomes partial-and-trusted
        Assert.Null(cache.Take("big", inputs: 3));
        Assert.NotNull(cache.Take("small", inputs: 1));
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void Forgetting_a_job_that_failed_while_pending_frees_its_shares()
    {
        var cache = new PendingShares();
        cache.Add([Share("a", "x", 100)]);

        cache.Forget("a");

        Assert.Equal(0, cache.Bytes);
        Assert.Null(cache.Take("a", inputs: 1));
    }
}
