using Grpc.Core;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Mpc.Node.Diagnostics;
using Mpc.Node.Jobs;
using Mpc.Node.Protos;
using Mpc.Node.Security;
using Mpc.Node.Storage;

namespace Mpc.Node.Services;

/// <summary>The client-facing gRPC service: authenticates the caller and translates calls to <see cref="NodeStore"/>.</summary>
internal sealed class ClientService(NodeStore store, JobScheduler jobs, CertificatePins pins, NodeOptions options, ILogger<ClientService> log) : Protos.Client.ClientBase
{
    public override async Task<SubmitInputShareReply> SubmitInputShare(SubmitInputShareRequest request, ServerCallContext context)
    {
        await SubmitAsync(request.JobId, [new InputShares { InputName = request.InputName, Shares = request.Share, Salt = request.Salt }], context);
        return new SubmitInputShareReply();
    }

    public override async Task<SubmitInputSharesReply> SubmitInputShares(SubmitInputSharesRequest request, ServerCallContext context)
    {
        await SubmitAsync(request.JobId, request.Inputs, context);
        return new SubmitInputSharesReply();
    }

    // One input or many: the same checks, one durable commit, one log line per newly stored share.
    private async Task SubmitAsync(string jobId, IReadOnlyList<InputShares> request, ServerCallContext context)
    {
        string client = Authenticate(context);
        var inputs = new InputSubmission[request.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            var input = request[i];
            // The scheduler checks the exact element count; this only keeps oversized requests from being copied.
            if (input.Shares.Length > options.MaxMessageBytes)
                throw new RpcException(new Status(StatusCode.ResourceExhausted, $"shares of input '{input.InputName}' ({input.Shares.Length} bytes) exceed MaxMessageBytes = {options.MaxMessageBytes}"));
            inputs[i] = new InputSubmission(input.InputName, input.Shares.ToByteArray(), input.Salt.ToByteArray());
        }
        var results = await jobs.SubmitInputSharesAsync(jobId, client, inputs, context.CancellationToken);
        for (int i = 0; i < inputs.Length; i++)
            if (results[i] == StoreResult.Stored)
                log.InputShareStored(jobId, inputs[i].InputName, client, inputs[i].Shares.Length);
    }

    public override Task<JobStatusReply> StartJob(StartJobRequest request, ServerCallContext context)
    {
        Authenticate(context);
        // proto3 default 0: a client that does not know about copies asks for one.
        var job = jobs.Register(request.JobId, request.CircuitId, request.Circuit.Span, request.Field, request.Copies == 0 ? 1 : request.Copies);
        log.JobRegistered(job.Id, job.CircuitId);
        return Task.FromResult(Reply(job));
    }

    public override Task<JobStatusReply> GetJobStatus(JobStatusRequest request, ServerCallContext context)
    {
        Authenticate(context);
        return Task.FromResult(Reply(FindJob(request.JobId)));
    }

    public override async Task<JobStatusReply> AwaitJob(JobStatusRequest request, ServerCallContext context)
    {
        Authenticate(context);
        var finished = new TaskCompletionSource<(JobRecord Job, IDisposable Deferral)>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(JobRecord job)
        {
            if (job.Id != request.JobId || job.Status is not (JobStatus.Succeeded or JobStatus.Failed) || finished.Task.IsCompleted)
                return;
            // Raised inside the job's final commit, while the running job still defers the pool's refill: taking the deferral over
            // here leaves no moment in which a refill (both cores of a small machine, for a while) could start before this
            // caller has its reply. Measured on a 100-copy AES job: the result took 10–25 ms to reach the client behind the refill.
            var deferral = jobs.DeferPoolRefill();
            if (!finished.TrySetResult((job, deferral)))
                deferral.Dispose();
        }
        store.JobChanged += OnChanged;
        bool handedOver = false;
        try
        {
            // Subscribe first, then look: a change between the two cannot be missed.
            var current = FindJob(request.JobId);
            if (current.Status is JobStatus.Succeeded or JobStatus.Failed)
                return Reply(current);
            var (job, deferral) = await finished.Task.WaitAsync(context.CancellationToken);
            var reply = Reply(job);
            context.GetHttpContext().Response.OnCompleted(() =>
            {
                deferral.Dispose();
                return Task.CompletedTask;
            });
            handedOver = true;
            return reply;
        }
        catch (OperationCanceledException)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"job '{request.JobId}' did not finish before the call ended"));
        }
        finally
        {
            store.JobChanged -= OnChanged;
            // Every other way out (finished while we looked, cancelled, failed): no reply will carry the result, so nothing
            // to wait for. A deferral nobody releases would stop the pool for good.
            if (!handedOver && finished.Task.IsCompletedSuccessfully)
                finished.Task.Result.Deferral.Dispose();
        }
    }

    public override Task<FetchOutputShareReply> FetchOutputShare(FetchOutputShareRequest request, ServerCallContext context)
    {
        string client = Authenticate(context);
        var output = Translate(() => store.GetOutput(request.JobId, request.OutputName))
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"job '{request.JobId}' has no output '{request.OutputName}' (yet)"));
        if (!jobs.MayFetch(output, client))
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"output '{request.OutputName}' of job '{request.JobId}' belongs to another client"));
        return Task.FromResult(new FetchOutputShareReply { Public = output.IsPublic, Value = UnsafeByteOperations.UnsafeWrap(output.Value) });
    }

    public override async Task<BenchmarkReply> RunBenchmark(BenchmarkRequest request, ServerCallContext context)
    {
        Authenticate(context);
        if (request.ComparisonBits != 0)
        {
            var cmp = await jobs.ComparisonBenchmarkAsync(request.Multiplications, request.ComparisonBits, request.Security, context.CancellationToken).ConfigureAwait(false);
            return new BenchmarkReply
            {
                PreprocessingS = cmp.Preprocessing.TotalSeconds,
                OnlineS = cmp.Online.TotalSeconds,
                OnlineBytesSent = cmp.OnlineBytesSent,
                Rounds = cmp.Rounds,
                RandomBitsPerOp = cmp.RandomBits,
                TriplesPerOp = cmp.Triples,
            };
        }
        var result = await jobs.BenchmarkAsync(request.Multiplications, request.RoundTrips, context.CancellationToken).ConfigureAwait(false);
        return new BenchmarkReply
        {
            PreprocessingS = result.Preprocessing.TotalSeconds,
            OnlineS = result.Online.TotalSeconds,
            OnlineBytesSent = result.OnlineBytesSent,
            RoundTripUs = result.RoundTrip.TotalMicroseconds,
        };
    }

    private string Authenticate(ServerCallContext context)
    {
        var match = pins.Match(context.GetHttpContext().Connection.ClientCertificate);
        if (match.Kind != PinKind.Client)
        {
            log.ClientRefused(match.Fingerprint);
            throw new RpcException(new Status(StatusCode.PermissionDenied, "the certificate is not an allowed client of this node"));
        }
        return match.Fingerprint;
    }

    private JobRecord FindJob(string jobId) =>
        Translate(() => store.GetJob(jobId)) ?? throw new RpcException(new Status(StatusCode.NotFound, $"no job '{jobId}'"));

    private static T Translate<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (ArgumentException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
        catch (InvalidOperationException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message));
        }
    }

    private JobStatusReply Reply(JobRecord job)
    {
        var reply = StatusOf(job);
        if (job.Status == JobStatus.Succeeded)
            foreach (var output in store.GetOutputs(job.Id))
                if (output.IsPublic)
                    reply.PublicOutputs[output.Name] = ByteString.CopyFrom(output.Value);
        return reply;
    }

    private static JobStatusReply StatusOf(JobRecord job) => new()
    {
        JobId = job.Id,
        CircuitId = job.CircuitId,
        State = job.Status switch
        {
            JobStatus.Pending => JobState.Pending,
            JobStatus.Running => JobState.Running,
            JobStatus.Succeeded => JobState.Succeeded,
            JobStatus.Failed => JobState.Failed,
            _ => JobState.Unspecified,
        },
        Reason = job.Reason ?? "",
        CreatedUnixMs = job.Created.ToUnixTimeMilliseconds(),
        Copies = job.Copies,
    };
}
