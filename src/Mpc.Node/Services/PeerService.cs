using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Mpc.Node.Transport;

namespace Mpc.Node.Services;

/// <summary>The node-to-node gRPC service: hands each incoming stream to the transport.</summary>
/// <remarks>
/// Bound by <see cref="PeerMethodProvider"/> to <see cref="PeerWire.Exchange"/> (the <c>Peer.Exchange</c> path of
/// <c>protos/peer.proto</c>, with the transport's own marshaller); the node compiles no generated code for <c>peer.proto</c>.
/// </remarks>
internal sealed class PeerService(GrpcTransport transport)
{
    public Task Exchange(IAsyncStreamReader<PeerChunk> requestStream, IServerStreamWriter<PeerChunk> responseStream, ServerCallContext context) =>
        transport.AcceptAsync(requestStream, responseStream, context);
}

/// <summary>Declares <see cref="PeerService"/>'s one method to Grpc.AspNetCore (register it before <c>MapGrpcService&lt;PeerService&gt;</c>).</summary>
internal sealed class PeerMethodProvider : IServiceMethodProvider<PeerService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<PeerService> context) =>
        context.AddDuplexStreamingMethod(PeerWire.Exchange, [], (service, requests, responses, call) => service.Exchange(requests, responses, call));
}
