using Grpc.Core;
using Mpc.Node.Protos;
using Mpc.Node.Transport;

namespace Mpc.Node.Services;

/// <summary>The node-to-node gRPC service: hands each incoming stream to the transport.</summary>
internal sealed class PeerService(GrpcTransport transport) : Peer.PeerBase
{
    public override Task Exchange(IAsyncStreamReader<PeerFrame> requestStream, IServerStreamWriter<PeerFrame> responseStream, ServerCallContext context) =>
        transport.AcceptAsync(requestStream, responseStream, context);
}
