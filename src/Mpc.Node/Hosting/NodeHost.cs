using System.Net;
using System.Security.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mpc.Client;
using Mpc.Node.Chain;
using Mpc.Node.Diagnostics;
using Mpc.Node.Jobs;
using Mpc.Node.Security;
using Mpc.Node.Services;
using Mpc.Node.Storage;
using Mpc.Node.Transport;

namespace Mpc.Node.Hosting;

/// <summary>A running node: Kestrel with the Peer, Client and health services, its transport and its store.</summary>
/// <remarks>
/// The daemon is a library so that the CLI, tests and benchmarks embed it (Garnet-style); the
/// <c>mpc node start</c> command only loads <see cref="NodeOptions"/> and calls <see cref="StartAsync"/>.
/// One HTTPS endpoint (HTTP/2 only, TLS 1.2+ with a required client certificate accepted only if its
/// fingerprint is pinned as a member or an allowed client) and optionally a plain-HTTP metrics endpoint.
/// </remarks>
public sealed class NodeHost : IAsyncDisposable
{
    /// <summary>HTTP/2 connection-level flow-control window the node advertises (64 MiB).</summary>
    private const int ConnectionWindowBytes = 64 << 20;

    /// <summary>HTTP/2 per-stream window (16 MiB): a client's bulk input upload or output download is not throttled by acknowledgements.</summary>
    private const int StreamWindowBytes = 16 << 20;

    private readonly WebApplication _app;
    private readonly ILogger _log;
    private int _stopped;

    private NodeHost(WebApplication app, NodeOptions options, TlsIdentity identity, PeerTransport transport, NodeStore store, NodeMetrics metrics, IReadOnlyList<Uri> urls)
    {
        Jobs = app.Services.GetRequiredService<JobScheduler>();
        _app = app;
        Options = options;
        Identity = identity;
        Transport = transport;
        Store = store;
        Metrics = metrics;
        Urls = urls;
        _log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<NodeHost>();
    }

    /// <summary>The validated options the node runs with.</summary>
    public NodeOptions Options { get; }

    /// <summary>The node's TLS identity.</summary>
    public TlsIdentity Identity { get; }

    /// <summary>The cluster transport (an <see cref="Mpc.Core.Network.ITransport"/>); owned by the host, disposed by <see cref="StopAsync"/>.</summary>
    public PeerTransport Transport { get; }

    /// <summary>The node's database.</summary>
    public NodeStore Store { get; }

    /// <summary>The job scheduler (registration, input shares, evaluation).</summary>
    public JobScheduler Jobs { get; }

    /// <summary>The chain watcher (job events, deadlines), or null when the node has no <see cref="NodeOptions.Chain"/> settings.</summary>
    public ChainWatcher? Watcher { get; private set; }

    /// <summary>The node's metrics.</summary>
    public NodeMetrics Metrics { get; }

    /// <summary>The URLs Kestrel listens on: the gRPC endpoint first, then the metrics endpoint if enabled.</summary>
    public IReadOnlyList<Uri> Urls { get; }

    /// <summary>Validates <paramref name="options"/>, opens the store, loads the identity, starts Kestrel and starts dialling peers.</summary>
    /// <param name="options">The node's configuration.</param>
    /// <param name="configureLogging">Adds log providers (none by default).</param>
    /// <param name="cancellationToken">Aborts start-up.</param>
    /// <exception cref="NodeOptionsException">A setting is invalid, or the certificate does not match the node's pinned fingerprint.</exception>
    /// <exception cref="InvalidDataException">The key, certificate or database cannot be read.</exception>
    public static async Task<NodeHost> StartAsync(NodeOptions options, Action<ILoggingBuilder>? configureLogging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (ClusterRegistry.Applies(options))
        {
            using var loggers = LoggerFactory.Create(b => configureLogging?.Invoke(b));
            await ClusterRegistry.ResolveAsync(options, loggers.CreateLogger<NodeHost>(), cancellationToken).ConfigureAwait(false);
        }
        options.Validate();
        var identity = TlsIdentity.Load(options.ResolvedCertificatePath, options.ResolvedKeyPath);
        int self = options.Peers.FindIndex(p => p.Index == options.NodeIndex);
        if (!CertificatePins.Matches(identity.Certificate, CertificatePins.ParseFingerprint(options.Peers[self].Fingerprint)))
        {
            identity.Dispose();
            throw new NodeOptionsException([$"{nameof(NodeOptions.Peers)}[{self}].{nameof(PeerOptions.Fingerprint)}: does not match this node's certificate " +
                $"'{options.ResolvedCertificatePath}' (fingerprint {identity.Fingerprint})"]);
        }
        var pins = new CertificatePins(options.Peers.Select(p => KeyValuePair.Create(p.Index, p.Fingerprint)), options.AllowedClients);
        var store = NodeStore.Open(options.DataDirectory);
        var metrics = new NodeMetrics(options.NodeIndex, options.Peers.Count);
        WebApplication? app = null;
        try
        {
            app = Build(options, identity, pins, store, metrics, configureLogging);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            var urls = addresses.Select(a => new Uri(a)).OrderBy(u => u.Scheme == Uri.UriSchemeHttps ? 0 : 1).ToList();
            var transport = app.Services.GetRequiredService<PeerTransport>();
            var host = new NodeHost(app, options, identity, transport, store, metrics, urls);
            transport.Start();
            host.Jobs.StartPool();
            host.Jobs.Recover();
            if (options.Chain is not null)
                host.Watcher = ChainWatcher.Start(host.Jobs, store, options, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ChainWatcher>());
            host._log.NodeStarted(options.NodeIndex, options.Peers.Count, options.Threshold, options.Field, string.Join(", ", urls), identity.Fingerprint);
            return host;
        }
        catch
        {
            if (app is not null)
            {
                await app.Services.GetRequiredService<PeerTransport>().DisposeAsync().ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
            }
            store.Dispose();
            metrics.Dispose();
            identity.Dispose();
            throw;
        }
    }

    private static WebApplication Build(NodeOptions options, TlsIdentity identity, CertificatePins pins, NodeStore store, NodeMetrics metrics, Action<ILoggingBuilder>? configureLogging)
    {
        // The node's configuration is NodeOptions alone: no appsettings or environment overrides. Clearing the sources does
        // not stop the file watch the builder already set up for appsettings in the content root, which is the data directory:
        // every commit and log line woke that watcher (≈ 2,000 wake-ups a second in a job), so no reload is asked for at all.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = options.DataDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        configureLogging?.Invoke(builder.Logging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        // Set once the container exists; the TLS callback below only runs after start-up.
        ILogger? tlsLog = null;

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Client calls carry up to MaxMessageBytes of shares; gRPC enforces that per message instead.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.Http2.InitialConnectionWindowSize = ConnectionWindowBytes;
            kestrel.Limits.Http2.InitialStreamWindowSize = StreamWindowBytes;
            // Bulk shares are megabytes: 64 KiB frames (not 16 KiB slices), and an output buffer that takes a large reply
            // without blocking on the socket (Kestrel's default is 64 KiB).
            kestrel.Limits.Http2.MaxFrameSize = 1 << 16;
            kestrel.Limits.MaxResponseBufferSize = StreamWindowBytes;
            kestrel.Limits.Http2.KeepAlivePingDelay = options.KeepAliveInterval;
            kestrel.Limits.Http2.KeepAlivePingTimeout = options.KeepAliveInterval;
            kestrel.Listen(IPAddress.Parse(options.ListenAddress), options.ListenPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = identity.Certificate,
                    SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                    CheckCertificateRevocation = false,
                    // Pinning replaces chain building: self-signed certificates are expected, so chain errors are ignored
                    // and the fingerprint alone decides.
                    ClientCertificateValidation = (certificate, _, _) =>
                    {
                        var match = pins.Match(certificate);
                        if (match.Kind == PinKind.Unknown)
                            tlsLog?.CertificateRefused(match.Fingerprint);
                        return match.Kind != PinKind.Unknown;
                    },
                });
            });
            if (options.MetricsUrl is not null)
            {
                var metricsUri = new Uri(options.MetricsUrl);
                kestrel.Listen(IPAddress.Parse(metricsUri.Host.Trim('[', ']')), metricsUri.Port, listen => listen.Protocols = HttpProtocols.Http1AndHttp2);
            }
        });

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(identity);
        builder.Services.AddSingleton(pins);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton<PeerTransport>(sp => new PeerTransport(options, identity, pins, metrics, sp.GetRequiredService<ILogger<PeerTransport>>()));
        builder.Services.AddSingleton<JobScheduler>();
        builder.Services.AddGrpc(grpc => grpc.EnableDetailedErrors = false)
            .AddServiceOptions<ClientService>(o =>
            {
                o.MaxReceiveMessageSize = options.MaxMessageBytes + 4096;
                o.MaxSendMessageSize = options.MaxMessageBytes + 4096;
            });
        // Degraded (a peer is down) still answers SERVING: clients may submit inputs while the cluster heals.
        builder.Services.AddGrpcHealthChecks()
            .AddCheck("store", () =>
            {
                try
                {
                    store.Ping();
                    return HealthCheckResult.Healthy();
                }
                catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or ObjectDisposedException or InvalidOperationException)
                {
                    return HealthCheckResult.Unhealthy($"database unavailable: {e.Message}");
                }
            })
            .AddCheck<PeersHealthCheck>("peers");

        var app = builder.Build();
        tlsLog = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Mpc.Node.Tls");
        app.MapGrpcService<ClientService>();
        app.MapGrpcHealthChecksService();
        if (options.MetricsUrl is not null)
        {
            int port = new Uri(options.MetricsUrl).Port;
            app.MapGet("/metrics", () => Results.Text(metrics.WriteText(), "text/plain; version=0.0.4")).RequireHost($"*:{port}");
        }
        return app;
    }

    /// <summary>Closes peer links (pending receives fail), stops Kestrel and closes the store.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        _log.NodeStopping(Options.NodeIndex);
        if (Watcher is not null)
            await Watcher.DisposeAsync().ConfigureAwait(false);
        // Transport first: running jobs fail fast on their pending receives, then the scheduler waits for them.
        await Transport.DisposeAsync().ConfigureAwait(false);
        Jobs.Dispose();
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Store.Dispose();
        Metrics.Dispose();
        Identity.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>Degraded while any peer link is down, naming the missing peers.</summary>
    private sealed class PeersHealthCheck(PeerTransport transport) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var missing = Enumerable.Range(0, transport.Parties).Where(p => !transport.IsConnected(p)).ToList();
            return Task.FromResult(missing.Count == 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Degraded($"not connected to peer(s) {string.Join(", ", missing)}"));
        }
    }
}
