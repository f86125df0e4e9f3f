using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Mpc.Node.Diagnostics;

/// <summary>The node's metrics: one <see cref="Meter"/> named <see cref="MeterName"/> per node.</summary>
/// <remarks>
/// Instruments (OpenTelemetry naming): <c>mpc.node.bytes_sent</c> / <c>mpc.node.bytes_received</c> and
/// <c>mpc.node.messages_sent</c> / <c>mpc.node.messages_received</c> (payload only, tag <c>peer</c>),
/// <c>mpc.node.jobs</c> (finished jobs, tag <c>status</c>), <c>mpc.node.rounds</c> (communication rounds),
/// <c>mpc.node.pool_level</c> (preprocessed triples available) and <c>mpc.node.peers_connected</c>.
/// Any OpenTelemetry SDK can subscribe with <c>AddMeter("Mpc.Node")</c>; <see cref="WriteText"/> renders
/// this node's instruments in the Prometheus text format for the built-in <c>/metrics</c> endpoint.
/// </remarks>
public sealed class NodeMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Mpc.Node";

    private readonly Meter _meter;
    private readonly Counter<long> _bytesSent, _bytesReceived, _messagesSent, _messagesReceived, _jobs, _rounds;
    private readonly KeyValuePair<string, object?>[] _peerTags;
    private readonly MeterListener _listener;
    private readonly Dictionary<(Instrument Instrument, string? TagKey, string? TagValue), double> _values = [];
    private readonly Lock _gate = new();
    private Func<long> _poolLevel = static () => 0;
    private Func<int> _peersConnected = static () => 0;

    /// <summary>Creates the meter for node <paramref name="node"/> of <paramref name="parties"/>.</summary>
    public NodeMetrics(int node, int parties)
    {
        _meter = new Meter(MeterName, null, [new("mpc.node.index", node)]);
        _bytesSent = _meter.CreateCounter<long>("mpc.node.bytes_sent", "By", "Payload bytes sent to peers");
        _bytesReceived = _meter.CreateCounter<long>("mpc.node.bytes_received", "By", "Payload bytes received from peers");
        _messagesSent = _meter.CreateCounter<long>("mpc.node.messages_sent", "{message}", "Messages sent to peers");
        _messagesReceived = _meter.CreateCounter<long>("mpc.node.messages_received", "{message}", "Messages received from peers");
        _jobs = _meter.CreateCounter<long>("mpc.node.jobs", "{job}", "Jobs finished, by status");
        _rounds = _meter.CreateCounter<long>("mpc.node.rounds", "{round}", "Communication rounds completed");
        _meter.CreateObservableGauge("mpc.node.pool_level", () => _poolLevel(), "{triple}", "Preprocessed triples available");
        _meter.CreateObservableGauge("mpc.node.peers_connected", () => _peersConnected(), "{peer}", "Peers with a live stream");
        // Boxed once so tagging a measurement does not allocate.
        _peerTags = new KeyValuePair<string, object?>[parties];
        for (int i = 0; i < parties; i++)
            _peerTags[i] = new("peer", i.ToString(CultureInfo.InvariantCulture));

        // Listen to this instance only: several nodes may share a process (tests, `mpc cluster`).
        _listener = new MeterListener { InstrumentPublished = (instrument, listener) => { if (instrument.Meter == _meter) listener.EnableMeasurementEvents(instrument); } };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Counts a message sent to <paramref name="peer"/>.</summary>
    public void MessageSent(int peer, int bytes)
    {
        _bytesSent.Add(bytes, _peerTags[peer]);
        _messagesSent.Add(1, _peerTags[peer]);
    }

    /// <summary>Counts a message received from <paramref name="peer"/>.</summary>
    public void MessageReceived(int peer, int bytes)
    {
        _bytesReceived.Add(bytes, _peerTags[peer]);
        _messagesReceived.Add(1, _peerTags[peer]);
    }

    /// <summary>Counts a finished job with its final status (e.g. <c>succeeded</c>, <c>failed</c>).</summary>
    public void JobFinished(string status) => _jobs.Add(1, new KeyValuePair<string, object?>("status", status));

    /// <summary>Counts completed communication rounds.</summary>
    public void RoundsCompleted(long rounds) => _rounds.Add(rounds);

    /// <summary>Sets the callback reporting the preprocessing pool level (triples available).</summary>
    public void ObservePoolLevel(Func<long> level) => _poolLevel = level ?? throw new ArgumentNullException(nameof(level));

    internal void ObservePeersConnected(Func<int> connected) => _peersConnected = connected;

    /// <summary>Renders the current values in the Prometheus text exposition format.</summary>
    public string WriteText()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        lock (_gate)
        {
            foreach (var group in _values.GroupBy(kv => kv.Key.Instrument).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
            {
                var instrument = group.Key;
                bool counter = instrument is Counter<long>;
                string name = instrument.Name.Replace('.', '_') + (counter ? "_total" : "");
                text.Append("# HELP ").Append(name).Append(' ').Append(instrument.Description).Append('\n');
                text.Append("# TYPE ").Append(name).Append(counter ? " counter\n" : " gauge\n");
                foreach (var (key, value) in group.OrderBy(kv => kv.Key.TagValue, StringComparer.Ordinal))
                {
                    text.Append(name);
                    if (key.TagKey is not null)
                        text.Append('{').Append(key.TagKey).Append("=\"").Append(key.TagValue).Append("\"}");
                    text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }
        return text.ToString();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // All our instruments carry at most one string tag; the cached strings make the key allocation-free.
        (Instrument, string?, string?) key = tags.Length > 0 ? (instrument, tags[0].Key, tags[0].Value as string) : (instrument, null, null);
        lock (_gate)
        {
            _values[key] = instrument is Counter<long> ? _values.GetValueOrDefault(key) + value : value;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _listener.Dispose();
        _meter.Dispose();
    }
}
